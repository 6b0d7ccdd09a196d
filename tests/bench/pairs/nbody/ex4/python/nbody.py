"""Bench pair nbody: a small gravitating system integrated with a fixed time step.

Input file: two integers, the number of bodies and the number of steps. The initial state comes
from a linear congruential generator (no trigonometry, so that both ports compute exactly the same
floating-point operations). Prints the total energy before and after, and the first orbiter's
position."""
import math
import sys

DT = 0.001
MODULUS = 2147483648


def make_bodies(n):
    state = 12345

    def rnd():
        nonlocal state
        state = (state * 1103515245 + 12345) % MODULUS
        return state / MODULUS

    central = 40.0
    bodies = [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, central]]
    for i in range(1, n):
        a = rnd() - 0.5
        b = rnd() - 0.5
        norm = math.sqrt(a * a + b * b) + 1e-9
        c = a / norm
        s = b / norm
        r = 1.0 + 1.5 * i + rnd()
        v = math.sqrt(central / r)
        mass = 0.001 + 0.01 * rnd()
        bodies.append([r * c, r * s, 0.2 * (rnd() - 0.5), -v * s, v * c, 0.0, mass])
    px = py = pz = 0.0
    for b in bodies:
        px += b[3] * b[6]
        py += b[4] * b[6]
        pz += b[5] * b[6]
    bodies[0][3] = -px / central
    bodies[0][4] = -py / central
    bodies[0][5] = -pz / central
    return bodies


def energy(bodies):
    e = 0.0
    n = len(bodies)
    for i in range(n):
        b = bodies[i]
        e += 0.5 * b[6] * (b[3] * b[3] + b[4] * b[4] + b[5] * b[5])
        for j in range(i + 1, n):
            o = bodies[j]
            dx = b[0] - o[0]
            dy = b[1] - o[1]
            dz = b[2] - o[2]
            e -= b[6] * o[6] / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e


def advance(bodies, steps):
    n = len(bodies)
    pairs = [(bodies[i], bodies[j]) for i in range(n) for j in range(i + 1, n)]
    for _ in range(steps):
        for b1, b2 in pairs:
            dx = b1[0] - b2[0]
            dy = b1[1] - b2[1]
            dz = b1[2] - b2[2]
            d2 = dx * dx + dy * dy + dz * dz
            mag = DT / (d2 * math.sqrt(d2))
            m1 = b1[6] * mag
            m2 = b2[6] * mag
            b1[3] -= dx * m2
            b1[4] -= dy * m2
            b1[5] -= dz * m2
            b2[3] += dx * m1
            b2[4] += dy * m1
            b2[5] += dz * m1
        for b in bodies:
            b[0] += DT * b[3]
            b[1] += DT * b[4]
            b[2] += DT * b[5]


def main():
    with open(sys.argv[1]) as f:
        n, steps = (int(x) for x in f.read().split())
    bodies = make_bodies(n)
    print(f"{energy(bodies):.9f}")
    advance(bodies, steps)
    print(f"{energy(bodies):.9f}")
    if n > 1:
        print(f"{bodies[1][0]:.9f} {bodies[1][1]:.9f} {bodies[1][2]:.9f}")


main()
