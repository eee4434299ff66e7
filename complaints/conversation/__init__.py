"""The conversation with the customer on a complaint: the acknowledgement, internal notes,
replies by email (threaded, with a signed reply address) and the customer's replies."""
