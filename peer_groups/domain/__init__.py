"""Pure rules of the product: no Flask, no SQLAlchemy, the clock passed in."""
