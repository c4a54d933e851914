from services.loans.app import SPEC
from shared.service import main

main(SPEC)
