"""What safeguarding tells staff about (registered with peerpath.notifications; discovered).

Every one is for staff on duty or the leads, never for the member; none says on a lock screen
or in an email what the alert is about. Details only show after sign-in and two-step
verification.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerpath.notifications.purposes import Channel, Purpose, register_purpose

# A page: every way she can be reached, day or night, and it cannot be switched off.
SAFEGUARDING_ALERT = register_purpose(
    Purpose(
        key="safeguarding_alert",
        label=_("Safeguarding alerts while you are on duty"),
        default_channels=(Channel.IN_APP, Channel.PUSH, Channel.SMS, Channel.EMAIL),
        ignores_quiet_hours=True,
        can_be_switched_off=False,
        inbox_template="safeguarding/notifications/alert/inbox.jinja",
        email_templates="safeguarding/notifications/alert",
        lock_screen_text=_("PeerPath: an alert needs you."),
        text_includes_link=True,
    )
)
# Leads: an alert came in outside staffed hours and waits for the first person on duty.
OUT_OF_HOURS_ALERT = register_purpose(
    Purpose(
        key="safeguarding_out_of_hours",
        label=_("Alerts raised outside staffed hours (safeguarding leads)"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
        can_be_switched_off=False,
        inbox_template="safeguarding/notifications/out_of_hours/inbox.jinja",
        email_templates="safeguarding/notifications/out_of_hours",
    )
)
# Leads: a tier that asks for the safeguarding lead's review was raised in staffed hours. Not a
# page (the escalation pages them in its turn): a notice to review it.
LEAD_REVIEW = register_purpose(
    Purpose(
        key="safeguarding_lead_review",
        label=_("Alerts for the safeguarding lead to review (safeguarding leads)"),
        default_channels=(Channel.IN_APP, Channel.PUSH, Channel.EMAIL),
        ignores_quiet_hours=True,
        can_be_switched_off=False,
        inbox_template="safeguarding/notifications/lead_review/inbox.jinja",
        email_templates="safeguarding/notifications/lead_review",
        lock_screen_text=_("PeerPath: an alert for you to review."),
    )
)
# Leads: an escalation found nobody on the rota, or a step is overdue.
ROTA_GAP = register_purpose(
    Purpose(
        key="safeguarding_rota_gap",
        label=_("Gaps in the duty rota and late escalations (safeguarding leads)"),
        default_channels=(Channel.IN_APP, Channel.EMAIL, Channel.SMS),
        ignores_quiet_hours=True,
        can_be_switched_off=False,
        inbox_template="safeguarding/notifications/rota_gap/inbox.jinja",
        email_templates="safeguarding/notifications/rota_gap",
        lock_screen_text=_("PeerPath: the duty rota needs you."),
        text_includes_link=True,
    )
)
# The owner of an acknowledged alert that is still not closed.
CLOSE_REMINDER = register_purpose(
    Purpose(
        key="safeguarding_reminder",
        label=_("Reminders about alerts you are handling"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
        can_be_switched_off=False,
        inbox_template="safeguarding/notifications/close_reminder/inbox.jinja",
        email_templates="safeguarding/notifications/close_reminder",
    )
)
# The colleague an acknowledged alert has been handed to: it is hers now.
ALERT_HANDED_OVER = register_purpose(
    Purpose(
        key="safeguarding_handed_over",
        label=_("Alerts handed to you by a colleague"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
        can_be_switched_off=False,
        inbox_template="safeguarding/notifications/handed_over/inbox.jinja",
        email_templates="safeguarding/notifications/handed_over",
        lock_screen_text=_("PeerPath: an alert has been handed to you."),
    )
)
# The owner of a follow-up that has fallen due.
FOLLOW_UP_DUE = register_purpose(
    Purpose(
        key="safeguarding_follow_up_due",
        label=_("Follow-ups on alerts that have fallen due"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
        can_be_switched_off=False,
        inbox_template="safeguarding/notifications/follow_up_due/inbox.jinja",
        email_templates="safeguarding/notifications/follow_up_due",
    )
)
# Leads: a reminder was due to someone who can no longer handle the organisation's alerts
# (her role ended, her account was closed), so it came to them instead.
ALERT_UNATTENDED = register_purpose(
    Purpose(
        key="safeguarding_unattended",
        label=_("Alerts left with someone who no longer handles them (safeguarding leads)"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
        can_be_switched_off=False,
        inbox_template="safeguarding/notifications/unattended/inbox.jinja",
        email_templates="safeguarding/notifications/unattended",
    )
)
