"""Bench pair mandel: escape times of the Mandelbrot set over a grid.

Input file: three integers, width, height and the maximum number of iterations. The grid spans
[-2.2, 0.8] x [-1.2, 1.2]. Prints, per row, the sum of the escape times and the number of points
that never escaped, then the totals."""
import sys

X0, X1, Y0, Y1 = -2.2, 0.8, -1.2, 1.2


def main():
    with open(sys.argv[1]) as f:
        width, height, limit = (int(x) for x in f.read().split())
    total = 0
    inside = 0
    for row in range(height):
        ci = Y0 + (Y1 - Y0) * row / height
        row_sum = 0
        row_inside = 0
        for col in range(width):
            cr = X0 + (X1 - X0) * col / width
            zr = zi = 0.0
            n = 0
            while n < limit:
                zr2 = zr * zr
                zi2 = zi * zi
                if zr2 + zi2 > 4.0:
                    break
                zi = 2.0 * zr * zi + ci
                zr = zr2 - zi2 + cr
                n += 1
            row_sum += n
            if n == limit:
                row_inside += 1
        print(f"{row} {row_sum} {row_inside}")
        total += row_sum
        inside += row_inside
    print(f"total {total} inside {inside}")


main()
