"""How complaints come in from customers themselves: the public complaint form (one signed link
per department and one for the company, printed as QR codes at the counter) and its protection
against floods (limits per address and per hour, a honeypot, counters of what was refused)."""
