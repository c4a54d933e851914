from services.directory.app import SPEC
from shared.service import main

main(SPEC)
