import ChoSoApp
