"""The articles' arguments for quality service and the managers' fears about it, offered as
prompts to the brainstorm, never as the company's own words.

The articles' advice (DOMAIN.md, "Why bother"): run the "why quality service" brainstorm
inside the company, because the employees' own arguments convince where an outsider's are
met with suspicion. So these only start people thinking; an entry is always typed by its
author, and nothing here is ever saved as an entry. Each fear names the programme figure
that answers it best: "the programme has to measure the difference".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Prompt:
    text: str | Promise
    # For a fear: the figure (programme.figures) that would show whether it comes true.
    figure: str = ""


# The articles' eight benefits, in their order.
BENEFIT_PROMPTS = (
    Prompt(_("It builds trust in the company, which can grow into loyalty.")),
    Prompt(_("It helps marketing and sales: keeping customers costs far less than winning new ones.")),
    Prompt(_("It gets people talking about us: word of mouth promotes the company.")),
    Prompt(_("Existing customers start buying more.")),
    Prompt(_("It saves money: what is done right the first time need not be redone.")),
    Prompt(_("It is a competitive advantage: customers feel it is easier to deal with us.")),
    Prompt(_("It keeps old customers and attracts new ones who care about service.")),
    Prompt(_("When everyone sells the same products, service is what sets us apart.")),
)

# The fears managers voice, as the articles list them.
FEAR_PROMPTS = (
    Prompt(_("It is very expensive."), "value_at_risk"),
    Prompt(_("It is hard to control."), "promise_kept"),
    Prompt(
        _("It puts the company's success in the employees' hands: what if they let us down?"), "ack_coverage"
    ),
    Prompt(_("Top managers do not see clearly what to do, and why."), "training_compliance"),
    Prompt(_("Important “little things” appear that everyone fusses over."), "time_to_resolve"),
    Prompt(_("Strange questions of “atmosphere” come up that nobody here ever dealt with."), "satisfaction"),
    Prompt(_("We would have to fire two thirds of the staff: look at their faces!"), "staff_turnover"),
    Prompt(_("What if our customers do not notice the difference?"), "churn"),
)
