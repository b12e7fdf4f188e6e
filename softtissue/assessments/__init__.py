"""Episodes and assessments: history, screening, body chart, range of motion, special tests."""
