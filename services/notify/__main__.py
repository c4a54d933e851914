from services.notify.app import SPEC
from shared.service import main

main(SPEC)
