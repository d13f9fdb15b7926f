//! The native column of `npm run bench`: the same core on std threads.
//!
//! `cargo run --release --example bench_native -- [--json] [--rounds N]
//!   [--dispatch-tasks N] [--cpu-tasks N] [--cpu-iterations N]`
//!
//! Dispatch overhead: N no-op tasks through the pool, µs per task over the
//! busy window (first start to last result). CPU: `do_work` tasks, serial
//! and through the pool at 1, 2, 4 workers. Medians over rounds.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::collections::BTreeMap;
    use std::sync::Arc;
    use std::time::Instant;

    use wasm_worker_pool::{
        Clock, Pool, PoolConfig, SystemClock, TaskKind, TaskResult, ThreadSpawner, WorkloadConfig,
    };

    struct Args {
        json: bool,
        rounds: usize,
        dispatch_tasks: u64,
        cpu_tasks: u64,
        cpu_iterations: u64,
    }

    fn args() -> Args {
        let mut a = Args { json: false, rounds: 5, dispatch_tasks: 100_000, cpu_tasks: 200, cpu_iterations: 1_000_000 };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            let mut value = || it.next().and_then(|v| v.parse::<u64>().ok()).expect("a number after the flag");
            match flag.as_str() {
                "--json" => a.json = true,
                "--rounds" => a.rounds = value() as usize,
                "--dispatch-tasks" => a.dispatch_tasks = value(),
                "--cpu-tasks" => a.cpu_tasks = value(),
                "--cpu-iterations" => a.cpu_iterations = value(),
                "--bench" => {} // passed by `cargo bench`
                other => panic!("unknown flag {other}"),
            }
        }
        a
    }

    /// Busy window of a pool run in ms: first task start to last result.
    fn busy_ms(results: &[TaskResult]) -> f64 {
        let first = results.iter().filter_map(|r| r.started_us).fold(f64::INFINITY, f64::min);
        let last = results.iter().map(|r| r.ended_us).fold(0.0, f64::max);
        (last - first) / 1000.0
    }

    fn run_pool(workers: usize, workload: &WorkloadConfig) -> f64 {
        let config = PoolConfig { workers, queue_capacity: 4096, ..PoolConfig::default() };
        let clock: Arc<dyn Clock> = Arc::new(SystemClock::new());
        let pool = Pool::start(config, &ThreadSpawner::new(), clock).expect("pool starts");
        for spec in workload.specs() {
            pool.submit(spec.into_task()).expect("submit");
        }
        pool.close();
        let results: Vec<TaskResult> = pool.results().iter().collect();
        pool.join();
        assert_eq!(results.len() as u64, workload.tasks);
        busy_ms(&results)
    }

    fn workload(kind: TaskKind, tasks: u64, iterations: u64) -> WorkloadConfig {
        WorkloadConfig {
            tasks,
            kind,
            sleep_ms: (0.0, 0.0),
            cpu_iterations: (iterations, iterations),
            failure_rate: 0.0,
            panic_rate: 0.0,
            use_connection: false,
            seed: 1,
        }
    }

    fn serial_ms(workload: &WorkloadConfig) -> f64 {
        // The same specs, run one after another on this thread.
        let start = Instant::now();
        let mut sink = 0u64;
        for spec in workload.specs() {
            sink = sink.wrapping_add(serial_work(spec.iterations));
        }
        std::hint::black_box(sink);
        start.elapsed().as_secs_f64() * 1000.0
    }

    /// The tutorial's doWork sum loop, as `do_work` runs it, minus the context checks.
    fn serial_work(iterations: u64) -> u64 {
        let mut sum = 0u64;
        for i in 0..iterations {
            sum = sum.wrapping_add(std::hint::black_box(i));
        }
        sum
    }

    fn median(xs: &mut [f64]) -> (f64, f64, f64) {
        xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let m = xs.len() / 2;
        let median = if xs.len() % 2 == 1 { xs[m] } else { (xs[m - 1] + xs[m]) / 2.0 };
        (median, xs[0], xs[xs.len() - 1])
    }

    fn stat_json(xs: &mut Vec<f64>) -> String {
        let (median, min, max) = median(xs);
        format!("{{\"median\":{median},\"min\":{min},\"max\":{max}}}")
    }

    pub fn main() {
        let a = args();
        let mut dispatch: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
        let mut cpu: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
        let mut serial = Vec::new();
        let noop = workload(TaskKind::Noop, a.dispatch_tasks, 0);
        let work = workload(TaskKind::Cpu, a.cpu_tasks, a.cpu_iterations);
        for _ in 0..a.rounds {
            for workers in [1, 2, 8] {
                let ms = run_pool(workers, &noop);
                dispatch.entry(workers).or_default().push(ms * 1000.0 / a.dispatch_tasks as f64);
            }
            serial.push(serial_ms(&work));
            for workers in [1, 2, 4] {
                cpu.entry(workers).or_default().push(run_pool(workers, &work));
            }
        }
        if a.json {
            let map = |m: &mut BTreeMap<usize, Vec<f64>>| {
                m.iter_mut().map(|(k, v)| format!("\"{k}\":{}", stat_json(v))).collect::<Vec<_>>().join(",")
            };
            println!(
                "{{\"dispatch\":{{{}}},\"cpu\":{{\"serial\":{},\"pool\":{{{}}}}}}}",
                map(&mut dispatch),
                stat_json(&mut serial),
                map(&mut cpu)
            );
            return;
        }
        println!("native, median of {} rounds", a.rounds);
        for (workers, xs) in dispatch.iter_mut() {
            let (m, lo, hi) = median(xs);
            println!("dispatch {workers:>2} workers: {m:.3} µs/task ({lo:.3} – {hi:.3})");
        }
        let (s, _, _) = median(&mut serial);
        println!("cpu serial: {s:.1} ms");
        for (workers, xs) in cpu.iter_mut() {
            let (m, _, _) = median(xs);
            println!("cpu {workers} workers: {m:.1} ms (×{:.2} vs serial)", s / m);
        }
    }
}
