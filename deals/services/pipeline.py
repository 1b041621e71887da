"""The pipeline step of a conversation, kept with its introduction in the matching app."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from deals.models import (
    Conversation,
    Message,
    MessageKind,
)
from deals.services.helpers import (
    _acting_company,
    _check_text,
    _writable,
)
from deals.text import detect_language
from matching.models import Introduction, IntroductionStage
from portal.core.i18n import join_list

# --- pipeline -----------------------------------------------------------------------------------------
PIPELINE_STEPS = {
    "nda": IntroductionStage.NDA,
    "samples": IntroductionStage.SAMPLES,
    "order": IntroductionStage.ORDER,
    "joint_venture": IntroductionStage.JOINT_VENTURE,
    "no_deal": IntroductionStage.NO_DEAL,
}
# The step's outcome for matching.services.introduction_from_meeting (which walks the allowed stages).
_OUTCOMES = {
    "nda": "nda",
    "samples": "samples",
    "order": "order",
    "joint_venture": "joint_venture",
    "no_deal": "no_interest",
}


@transaction.atomic
def conversation_mark_step(*, conversation: Conversation, actor, step: str, reason: str = "") -> Introduction:
    """Either side marks "NDA signed", "samples/RFQ sent", "order", "joint venture" or "no deal" (with a
    reason): the pair's introduction (created if needed) moves through the allowed stages, and the step is
    written into the conversation for both sides."""
    from matching.services import introduction_from_meeting

    company = _acting_company(actor, conversation)
    _writable(conversation, company)  # closed by a coordinator, or blocked: read only
    if step not in PIPELINE_STEPS:
        raise ValidationError(_("Choose a step of the pipeline."), code="step")
    reason = _check_text(reason)
    if step == "no_deal" and not reason:
        raise ValidationError(_("Say why there is no deal."), code="reason_required")
    introduction = Introduction.objects.filter(
        thai_company=conversation.thai_company, japanese_company=conversation.japanese_company
    ).first()
    target = PIPELINE_STEPS[step]
    if introduction is not None and introduction.stage == target:
        raise ValidationError(_("The pipeline is already at this step."), code="same_step")
    if introduction is not None and introduction.stage in (
        IntroductionStage.NO_DEAL,
        IntroductionStage.JOINT_VENTURE,
        IntroductionStage.DECLINED,
    ):
        raise ValidationError(_("This pipeline has ended; a coordinator can reopen it."), code="ended")
    if introduction is not None and introduction.stage != IntroductionStage.REQUESTED:
        _check_reachable(introduction, target)
    introduction = introduction_from_meeting(
        thai=conversation.thai_company,
        japanese=conversation.japanese_company,
        outcome=_OUTCOMES[step],
        actor=actor,
        note=reason,
        # They found each other (a proposal, a message): no coordinator introduced them, and the one who
        # marked the first step started it.
        requesting_company=company,
        announce=False,
    )
    if introduction.stage != target:
        raise ValidationError(
            _("The pipeline cannot move from “%(old)s” to “%(new)s”.")
            % {"old": introduction.get_stage_display(), "new": target.label},
            code="invalid_transition",
        )
    Message.objects.create(
        conversation=conversation,
        author=actor,
        company=company,
        kind=MessageKind.EVENT,
        step=step,
        text=reason,
        language=detect_language(reason, default=actor.language or "en"),
    )
    return introduction


def _check_reachable(introduction: Introduction, target: str) -> None:
    """A ValidationError that names the steps the deal can take from where it stands, when ``target`` is not
    one of them (an order is not followed by "NDA signed")."""
    from matching.services.introductions import introduction_path

    if introduction_path(introduction.stage, target) is not None:
        return
    reachable = [
        stage.label for stage in PIPELINE_STEPS.values() if introduction_path(introduction.stage, stage)
    ]
    # Quoted as the reader's language quotes (Japanese 「」), like the stage in the sentence.
    quoted = [pgettext("a step's name in quotes", "“%(step)s”") % {"step": label} for label in reachable]
    steps = join_list(quoted)
    raise ValidationError(
        _("The deal is at “%(old)s”: from there it can go on to %(steps)s.")
        % {"old": introduction.get_stage_display(), "steps": steps},
        code="invalid_transition",
    )
