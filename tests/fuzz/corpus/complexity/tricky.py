def f(x):
    """doc"""
    return [y for y in x if y and not y or f"{y!r:>{w}}"]
if __name__ == "__main__":
    f(1)
