"""The satisfaction survey after resolution: who gets it, its signed links, its email
(through the one outbox of the notifications), the answers and the figures they make."""
