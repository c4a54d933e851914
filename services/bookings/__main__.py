from services.bookings.app import SPEC
from shared.service import main

main(SPEC)
