"""An invented region's worth of listings for the demo charity (about 40)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.rrule import rrulestr
from django.utils import timezone

from peerpath.accounts.models import Organisation
from peerpath.core import clock
from peerpath.core.actors import DEMO
from peerpath.core.demo import DemoWorld, demo_step
from peerpath.directory.choices import Family, Kind
from peerpath.directory.models import PostcodeCentroid, Service
from peerpath.directory.recurrence import Recurrence
from peerpath.directory.services import (
    location_create,
    postcode_centroids_load,
    schedule_create,
    service_create,
    service_update,
)

PLACES = (
    ("Heavitree Family Hub", "12 Fore Street, Heavitree", "Exeter", "EX1 2QJ", 50.7225, -3.5058),
    ("St Thomas Children's Centre", "3 Cowick Street", "Exeter", "EX4 1AL", 50.7183, -3.5412),
    ("Exmouth Library, community room", "40 Exeter Road", "Exmouth", "EX8 1PS", 50.6204, -3.4134),
    ("Crediton Parish Hall", "Union Road", "Crediton", "EX17 3AW", 50.7909, -3.6557),
    ("Tiverton Pannier Market cafe", "Newport Street", "Tiverton", "EX16 6NL", 50.9027, -3.4878),
    ("Honiton Community Centre", "Dowell Street", "Honiton", "EX14 1LZ", 50.7986, -3.1907),
    ("Topsham Quay rooms", "Ferry Road", "Topsham", "EX3 0JN", 50.6833, -3.4640),
)
ALL_FAMILY = [Family.BABIES_WELCOME, Family.BUGGY_ACCESS, Family.FEEDING_FRIENDLY, Family.CHANGING]

# (name, kind, summary, what you do, place index or None for online, RRULE, hour, minute,
#  for whom, family, booking needed)
GROUPS: tuple[tuple[Any, ...], ...] = (
    (
        "Bump and Baby Chat",
        Kind.PEER_GROUP,
        "A relaxed morning with other mums and mums-to-be.",
        "Tea, toast and talking with people who get it. Peer supporters are there every week.",
        0,
        "FREQ=WEEKLY;BYDAY=TU",
        10,
        0,
        ["pregnant", "baby_0_12"],
        ALL_FAMILY,
        False,
    ),
    (
        "Knit and Natter",
        Kind.ACTIVITY_GROUP,
        "Knitting, crochet and a chat, beginners welcome.",
        "Bring a project or borrow needles. Nobody minds if you mostly hold the baby.",
        1,
        "FREQ=WEEKLY;BYDAY=WE",
        10,
        30,
        ["baby_0_12", "baby_12_24"],
        ALL_FAMILY,
        False,
    ),
    (
        "Baby Massage",
        Kind.ACTIVITY_GROUP,
        "Learn gentle baby massage in a small group.",
        "A five-week course; each week adds a little more. Bring a towel.",
        2,
        "FREQ=WEEKLY;BYDAY=TH",
        13,
        30,
        ["baby_0_12"],
        ALL_FAMILY,
        True,
    ),
    (
        "Walk and Talk",
        Kind.ACTIVITY_GROUP,
        "A gentle buggy walk by the river, then coffee.",
        "About 40 minutes at pushchair pace, finishing at the cafe.",
        6,
        "FREQ=WEEKLY;BYDAY=FR",
        10,
        0,
        ["baby_0_12", "baby_12_24"],
        [Family.BABIES_WELCOME, Family.SIBLINGS_WELCOME, Family.BUGGY_ACCESS],
        False,
    ),
    (
        "Crediton Drop-in",
        Kind.DROP_IN,
        "Pop in for a cuppa and a chat with a peer supporter.",
        "No agenda. Come for ten minutes or the whole time.",
        3,
        "FREQ=WEEKLY;BYDAY=MO",
        13,
        0,
        ["pregnant", "baby_0_12", "baby_12_24"],
        ALL_FAMILY,
        False,
    ),
    (
        "Tiverton Toddler Chat",
        Kind.PEER_GROUP,
        "For parents of toddlers who are finding it hard.",
        "Toys for the little ones while the grown-ups talk.",
        4,
        "FREQ=WEEKLY;BYDAY=SA",
        10,
        0,
        ["baby_12_24"],
        [*ALL_FAMILY, Family.SIBLINGS_WELCOME],
        False,
    ),
    (
        "Honiton Evening Group",
        Kind.PEER_GROUP,
        "An evening group for those back at work.",
        "A quieter group once the day is done. Babies welcome.",
        5,
        "FREQ=WEEKLY;BYDAY=WE",
        19,
        0,
        ["baby_0_12", "baby_12_24"],
        ALL_FAMILY,
        False,
    ),
    (
        "Dads and Partners Night",
        Kind.PEER_GROUP,
        "For dads, partners and co-parents.",
        "Pizza and an honest chat about how it really is.",
        0,
        "FREQ=MONTHLY;BYDAY=1TH",
        19,
        30,
        ["partners"],
        [],
        False,
    ),
    (
        "Mental Health Skills Course",
        Kind.ACTIVITY_GROUP,
        "Six sessions on coping skills.",
        "Practical ways to manage worry and low mood, led with a peer supporter.",
        1,
        "FREQ=WEEKLY;BYDAY=MO",
        10,
        0,
        ["pregnant", "baby_0_12"],
        [Family.BABIES_WELCOME],
        True,
    ),
    (
        "Exmouth Bumps Group",
        Kind.PEER_GROUP,
        "For anyone pregnant and feeling wobbly.",
        "Meet others at the same stage; midwives sometimes drop in.",
        2,
        "FREQ=WEEKLY;BYDAY=TU",
        18,
        30,
        ["pregnant"],
        [],
        False,
    ),
    (
        "Online Morning Circle",
        Kind.ONLINE_GROUP,
        "A video call for when getting out is too much.",
        "Cameras optional. Join from the sofa, baby and all.",
        None,
        "FREQ=WEEKLY;BYDAY=TH",
        10,
        0,
        ["pregnant", "baby_0_12", "baby_12_24"],
        [],
        False,
    ),
    (
        "Online Evening Circle",
        Kind.ONLINE_GROUP,
        "A video call in the evening, once the house is quiet.",
        "A peer supporter hosts; you can just listen.",
        None,
        "FREQ=WEEKLY;BYDAY=MO",
        20,
        0,
        ["pregnant", "baby_0_12", "baby_12_24"],
        [],
        False,
    ),
    (
        "Summer Babies Online",
        Kind.ONLINE_GROUP,
        "For babies born in the summer months.",
        "A group for those who found nothing running when their baby arrived.",
        None,
        "FREQ=WEEKLY;BYDAY=SA",
        9,
        30,
        ["baby_0_12"],
        [],
        False,
    ),
    (
        "Feeding Support Cafe",
        Kind.DROP_IN,
        "Help and company with feeding, however you feed.",
        "Trained volunteers and a comfy chair.",
        6,
        "FREQ=WEEKLY;BYDAY=WE",
        13,
        30,
        ["pregnant", "baby_0_12"],
        ALL_FAMILY,
        False,
    ),
    (
        "Online Dads Chat",
        Kind.ONLINE_GROUP,
        "A video call for dads and partners.",
        "Hosted by a dad who has been through it.",
        None,
        "FREQ=WEEKLY;BYDAY=SU",
        20,
        0,
        ["partners"],
        [],
        False,
    ),
    (
        "Polish-speaking Online Group",
        Kind.ONLINE_GROUP,
        "Support in Polish for new parents.",
        "Grupa wsparcia po polsku. Hosted by a Polish-speaking peer supporter.",
        None,
        "FREQ=WEEKLY;BYDAY=TU",
        19,
        0,
        ["pregnant", "baby_0_12", "baby_12_24"],
        [],
        False,
    ),
    (
        "Birth Reflections",
        Kind.PEER_GROUP,
        "For anyone whose birth did not go as hoped.",
        "A small, gentle group. You do not have to share anything.",
        0,
        "FREQ=MONTHLY;BYDAY=2WE",
        13,
        0,
        ["baby_0_12", "baby_12_24"],
        [Family.BABIES_WELCOME, Family.FEEDING_FRIENDLY],
        True,
    ),
)

ANYTIME = (
    (
        "One-to-one peer support",
        Kind.ONE_TO_ONE,
        "Be matched with a trained peer supporter who has been there too.",
        "Ask us for a peer supporter. We aim to match you within 5 working days.",
    ),
    (
        "PANDAS Foundation helpline",
        Kind.HELPLINE,
        "Support for parents and families with perinatal mental illness.",
        "",
    ),
    (
        "Your GP",
        Kind.GP,
        "Your GP can talk through how you are feeling and what might help.",
        "Book an appointment with your surgery.",
    ),
    (
        "Your health visitor",
        Kind.HEALTH_VISITOR,
        "Health visitors support families from late pregnancy until your child is 5.",
        "Contact your health visiting team.",
    ),
    (
        "NHS Talking Therapies",
        Kind.TALKING_THERAPIES,
        "Talking therapies for anxiety and depression. You can refer yourself online without a "
        "GP. People who are pregnant or have a young baby are seen sooner. Not a crisis service.",
        "Refer yourself through your local NHS Talking Therapies service.",
    ),
    (
        "Perinatal mental health team",
        Kind.PERINATAL_TEAM,
        "Specialist care for moderate to severe mental illness from pregnancy until your baby is "
        "2 in many areas.",
        "Usually through your GP, midwife or health visitor.",
    ),
    (
        "Maternal mental health service",
        Kind.MATERNAL_MENTAL_HEALTH,
        "Support after birth trauma, perinatal loss, a baby being removed into care, or fear of "
        "childbirth.",
        "Ask your GP, midwife or health visitor to refer you.",
    ),
)


def _first_session(rule: str, today: dt.date, hour: int, minute: int) -> dt.datetime:
    """The rule's first date from a week ago, at its local time (so the demo has a past)."""
    start = dt.datetime.combine(today - dt.timedelta(days=7), dt.time(hour, minute))
    first = rrulestr(rule, dtstart=start).after(start, inc=True)
    return timezone.make_aware(first, timezone.get_current_timezone())


def seed_directory(organisation: Organisation) -> int:
    """Create the demo listings and expand their sessions, through the listing services as a
    coordinator would; returns how many listings."""
    today = clock.today()
    postcode_centroids_load(
        actor=DEMO,
        centroids=[
            PostcodeCentroid(
                postcode=postcode.replace(" ", ""),
                outward=postcode.split()[0],
                latitude=lat,
                longitude=lon,
            )
            for _name, _address, _area, postcode, lat, lon in PLACES
        ],
    )
    locations = [
        location_create(
            actor=DEMO,
            organisation=organisation,
            name=name,
            address=address,
            area=area,
            postcode=postcode,
            coordinates=(lat, lon),
            directions="Step-free entrance; buggy parking inside.",
        )
        for name, address, area, postcode, lat, lon in PLACES
    ]
    count = 0
    towns = {location.area for location in locations}
    for name, kind, summary, what, place, rule, hour, minute, for_whom, family, booking in GROUPS:
        # Groups without a town in their name run in three places.
        copies = 1 if place is None or any(town in name for town in towns) else 3
        for extra in range(copies):
            location = None if place is None else locations[(place + extra * 2) % len(locations)]
            service = service_create(
                actor=DEMO,
                organisation=organisation,
                name=name if copies == 1 else f"{name}, {location.area if location else ''}",
                kind=kind,
                summary=summary,
                what_you_do=what,
                first_visit="Someone will say hello at the door and show you where things are.",
                for_whom=for_whom,
                family=family,
                languages=["pl"] if "Polish" in name else ["en"],
                online=place is None,
                location=location,
                booking_required=booking,
                capacity=12 if booking else None,
                how_to_join="Email us and we will send you the link." if place is None else "",
                email="hello@harbour-parents.example",
                last_checked_on=today - dt.timedelta(days=30 + 40 * count % 300),
            )
            first = _first_session(rule, today, hour, minute)
            recurrence = Recurrence.from_rule(rule, timezone.localtime(first))
            if recurrence is None:
                raise ValueError(f"The demo rule {rule!r} is not one PeerPath makes.")
            schedule_create(
                actor=DEMO,
                service=service,
                first_starts_at=first,
                duration_minutes=90,
                recurrence=recurrence,
            )
            count += 1
    for name, kind, summary, how in ANYTIME:
        service_create(
            actor=DEMO,
            organisation=organisation,
            name=name,
            kind=kind,
            summary=summary,
            how_to_join=how,
            for_whom=["pregnant", "baby_0_12", "baby_12_24"],
            languages=["en"],
            phone="0808 1961 776" if kind == Kind.HELPLINE else "",
            last_checked_on=today - dt.timedelta(days=20),
        )
        count += 1
    return count


SKILLS_COURSE = "Mental Health Skills Course, Exeter"


@demo_step
def seed(world: DemoWorld) -> None:
    """The demo charity's listings; Hazel runs the Exeter skills course."""
    seed_directory(world.organisation)
    course = Service.objects.filter(organisation=world.organisation, name=SKILLS_COURSE).first()
    if course is not None:
        service_update(actor=DEMO, service=course, facilitators=[world.people["hazel"]])
