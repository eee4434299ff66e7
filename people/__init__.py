"""The organisation: departments, positions, employees and their roles.

Who may grant which role and change whose email (``people.roles``), the account audit
trail, the HR people pages and employee import, the home page and its panel registry
(every app contributes panels), and turnover and tenure as pure arithmetic
(``people.turnover``)."""
