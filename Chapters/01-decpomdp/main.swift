print("chapter 01")
