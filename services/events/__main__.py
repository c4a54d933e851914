from services.events.app import SPEC
from shared.service import main

main(SPEC)
