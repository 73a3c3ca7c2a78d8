"""Services write; every write other users must see publishes an event after commit."""
