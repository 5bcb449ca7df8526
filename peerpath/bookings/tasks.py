from peerpath.bookings.services import booking_expire_offer
from peerpath.jobs.registry import task

task("bookings.expire_offer")(booking_expire_offer)
