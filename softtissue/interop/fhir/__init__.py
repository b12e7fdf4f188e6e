"""FHIR R4B export: a client's record, or a whole clinic, as a collection Bundle (docs/fhir.md)."""

from softtissue.interop.fhir.bundle import (
    client_bundle_json,
    clients_for_export,
    write_clinic_bundle,
)

__all__ = ["client_bundle_json", "clients_for_export", "write_clinic_bundle"]
