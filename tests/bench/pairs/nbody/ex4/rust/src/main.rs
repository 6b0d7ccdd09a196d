//! Bench pair nbody: the Rust port of python/nbody.py (same operations in the same order).
use std::env;
use std::fs;

const DT: f64 = 0.001;
const MODULUS: u64 = 2147483648;

#[derive(Clone, Copy)]
struct Body {
    pos: [f64; 3],
    vel: [f64; 3],
    mass: f64,
}

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = (self.0 * 1103515245 + 12345) % MODULUS;
        self.0 as f64 / MODULUS as f64
    }
}

fn make_bodies(n: usize) -> Vec<Body> {
    let mut rng = Lcg(12345);
    let central = 40.0;
    let mut bodies = vec![Body { pos: [0.0; 3], vel: [0.0; 3], mass: central }];
    for i in 1..n {
        let a = rng.next() - 0.5;
        let b = rng.next() - 0.5;
        let norm = (a * a + b * b).sqrt() + 1e-9;
        let c = a / norm;
        let s = b / norm;
        let r = 1.0 + 1.5 * i as f64 + rng.next();
        let v = (central / r).sqrt();
        let mass = 0.001 + 0.01 * rng.next();
        let z = 0.2 * (rng.next() - 0.5);
        bodies.push(Body { pos: [r * c, r * s, z], vel: [-v * s, v * c, 0.0], mass });
    }
    let (mut px, mut py, mut pz) = (0.0, 0.0, 0.0);
    for b in &bodies {
        px += b.vel[0] * b.mass;
        py += b.vel[1] * b.mass;
        pz += b.vel[2] * b.mass;
    }
    bodies[0].vel = [-px / central, -py / central, -pz / central];
    bodies
}

fn energy(bodies: &[Body]) -> f64 {
    let mut e = 0.0;
    for i in 0..bodies.len() {
        let b = &bodies[i];
        e += 0.5 * b.mass * (b.vel[0] * b.vel[0] + b.vel[1] * b.vel[1] + b.vel[2] * b.vel[2]);
        for o in &bodies[i + 1..] {
            let dx = b.pos[0] - o.pos[0];
            let dy = b.pos[1] - o.pos[1];
            let dz = b.pos[2] - o.pos[2];
            e -= b.mass * o.mass / (dx * dx + dy * dy + dz * dz).sqrt();
        }
    }
    e
}

fn advance(bodies: &mut [Body], steps: u64) {
    let n = bodies.len();
    for _ in 0..steps {
        for i in 0..n {
            let (head, tail) = bodies.split_at_mut(i + 1);
            let b1 = &mut head[i];
            for b2 in tail.iter_mut() {
                let dx = b1.pos[0] - b2.pos[0];
                let dy = b1.pos[1] - b2.pos[1];
                let dz = b1.pos[2] - b2.pos[2];
                let d2 = dx * dx + dy * dy + dz * dz;
                let mag = DT / (d2 * d2.sqrt());
                let m1 = b1.mass * mag;
                let m2 = b2.mass * mag;
                b1.vel[0] -= dx * m2;
                b1.vel[1] -= dy * m2;
                b1.vel[2] -= dz * m2;
                b2.vel[0] += dx * m1;
                b2.vel[1] += dy * m1;
                b2.vel[2] += dz * m1;
            }
        }
        for b in bodies.iter_mut() {
            b.pos[0] += DT * b.vel[0];
            b.pos[1] += DT * b.vel[1];
            b.pos[2] += DT * b.vel[2];
        }
    }
}

fn main() {
    let path = env::args().nth(1).expect("usage: nbody INPUT");
    let text = fs::read_to_string(&path).expect("cannot read the input");
    let nums: Vec<u64> = text.split_whitespace().map(|x| x.parse().expect("not an integer")).collect();
    let (n, steps) = (nums[0] as usize, nums[1]);
    let mut bodies = make_bodies(n);
    println!("{:.9}", energy(&bodies));
    advance(&mut bodies, steps);
    println!("{:.9}", energy(&bodies));
    if n > 1 {
        let p = bodies[1].pos;
        println!("{:.9} {:.9} {:.9}", p[0], p[1], p[2]);
    }
}
