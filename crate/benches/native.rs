//! Native benchmarks of the core (plain `main`, no harness):
//!
//! ```text
//! cargo bench -p wasm-worker-pool --bench native
//! ```
//!
//! - dispatch overhead per no-op task: 100,000 tasks through the pool at 2
//!   and 8 workers (first submit to the last worker's exit, divided by the
//!   number of tasks), and the same through a session, as the browser runs
//!   them (its feeder thread queues short tasks in batches; from the
//!   session's start until it has every result);
//! - CPU-bound speed-up: 200 × `do_work(1e6)` at 1, 2 and 4 workers against
//!   the same 200 calls run serially on one thread;
//! - one thread per no-op task (spawn-per-task), uncapped and capped, for
//!   comparison with the pool's dispatch;
//! - the same CPU jobs through spawn-per-task and rayon at 2 threads.
//!
//! `-- --json [--rounds N] [--dispatch-tasks N] [--cpu-tasks N]
//! [--cpu-iterations N]` prints the figures `npm run bench` puts beside the
//! browser's (dispatch at 1, 2, 8 workers; CPU serial and at 1, 2, 4 workers)
//! as one JSON object instead.
//!
//! Every figure is the median of 5 runs (min–max in brackets); speed-ups are
//! medians of ratios taken within one round. This machine has 2 cores and is
//! noisy: compare ratios, not absolute times across runs.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use wasm_worker_pool::{
        do_work, Clock, Pool, PoolConfig, RayonConfig, RayonRun, RunConfig, Session, SpawnPerTask,
        SpawnPerTaskConfig, Strategy, StrategyKind, SystemClock, Task, TaskContext, TaskKind,
        ThreadSpawner,
    };

    const SPAWN_TASKS: u64 = 10_000;

    /// Sizes, from the command line (`--rounds`, `--dispatch-tasks`, ...).
    struct Sizes {
        runs: usize,
        noop_tasks: u64,
        cpu_tasks: u64,
        cpu_iterations: u64,
        json: bool,
    }

    static SIZES: std::sync::OnceLock<Sizes> = std::sync::OnceLock::new();

    fn sizes() -> &'static Sizes {
        SIZES.get_or_init(|| {
            let mut s = Sizes {
                runs: 5,
                noop_tasks: 100_000,
                cpu_tasks: 200,
                cpu_iterations: 1_000_000,
                json: false,
            };
            let mut args = std::env::args().skip(1);
            while let Some(flag) = args.next() {
                let mut number = || {
                    args.next()
                        .and_then(|v| v.parse::<u64>().ok())
                        .expect("a number after the flag")
                };
                match flag.as_str() {
                    "--json" => s.json = true,
                    "--rounds" => s.runs = number().max(1) as usize,
                    "--dispatch-tasks" => s.noop_tasks = number(),
                    "--cpu-tasks" => s.cpu_tasks = number(),
                    "--cpu-iterations" => s.cpu_iterations = number(),
                    _ => {} // cargo bench passes --bench
                }
            }
            s
        })
    }

    struct Sample {
        median: f64,
        min: f64,
        max: f64,
    }

    fn sample(mut run: impl FnMut() -> f64) -> Sample {
        let runs = sizes().runs;
        let mut xs: Vec<f64> = (0..runs).map(|_| run()).collect();
        xs.sort_by(f64::total_cmp);
        Sample {
            median: xs[runs / 2],
            min: xs[0],
            max: xs[runs - 1],
        }
    }

    fn clock() -> Arc<dyn Clock> {
        Arc::new(SystemClock::new())
    }

    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1e3
    }

    /// Runs `tasks` through a pool of `workers`; the time from the first
    /// submit until every worker has exited.
    fn through_pool(workers: usize, tasks: impl Iterator<Item = Task>) -> Duration {
        let spawner = ThreadSpawner::new();
        let config = PoolConfig {
            workers,
            queue_capacity: 1024,
            ..PoolConfig::default()
        };
        let pool = Pool::start(config, &spawner, clock()).unwrap();
        // Let the workers reach their `recv` first: start-up is not dispatch.
        while pool.stats().worker_startup.count < workers as u64 {
            std::thread::yield_now();
        }
        let start = Instant::now();
        let mut n = 0;
        for task in tasks {
            pool.submit(task).unwrap();
            n += 1;
        }
        pool.close();
        pool.join();
        let took = start.elapsed();
        assert_eq!(pool.results().iter().count(), n);
        took
    }

    /// `tasks` no-op tasks through a pool session of `workers`, as the
    /// browser's dispatch benchmark runs them (queue capacity 4096, polled
    /// as an event loop would), measured as it measures them: its busy
    /// window, from the first task's start to the last result.
    fn through_session(workers: usize, tasks: u64) -> Duration {
        let config = RunConfig {
            strategy: StrategyKind::Pool,
            workers,
            tasks,
            kind: TaskKind::Noop,
            failure_rate: 0.0,
            queue_capacity: 4096,
            ..RunConfig::default()
        };
        let mut session = Session::start(config, Arc::new(ThreadSpawner::new()), clock()).unwrap();
        let mut events = Vec::new();
        while !session.advance(&mut events) {
            std::thread::sleep(Duration::from_micros(200));
        }
        let summary = session.summary();
        assert_eq!(summary.succeeded, tasks);
        let busy_ms = summary.last_result_ms.unwrap() - summary.first_start_ms.unwrap();
        Duration::from_secs_f64(busy_ms / 1e3)
    }

    /// The floor: the same shape (boxed closures through a bounded(1024)
    /// queue to `workers` threads, a message back on an unbounded channel)
    /// without any of the pool's bookkeeping.
    fn bare_channels(workers: usize) -> Duration {
        type Job = Box<dyn FnOnce() -> u64 + Send>;
        let (jobs, jobs_rx) = crossbeam_channel::bounded::<Job>(1024);
        let (results, results_rx) = crossbeam_channel::unbounded::<u64>();
        let threads: Vec<_> = (0..workers)
            .map(|_| {
                let (jobs_rx, results) = (jobs_rx.clone(), results.clone());
                std::thread::spawn(move || {
                    for job in jobs_rx.iter() {
                        let _ = results.send(job());
                    }
                })
            })
            .collect();
        drop((jobs_rx, results));
        let start = Instant::now();
        for id in 0..sizes().noop_tasks {
            jobs.send(Box::new(move || id)).unwrap();
        }
        drop(jobs);
        for t in threads {
            t.join().unwrap();
        }
        let took = start.elapsed();
        assert_eq!(results_rx.iter().count() as u64, sizes().noop_tasks);
        took
    }

    fn noop_tasks() -> impl Iterator<Item = Task> {
        (0..sizes().noop_tasks).map(|id| Task::new(id, |_| Ok(String::new())))
    }

    fn cpu_tasks() -> impl Iterator<Item = Task> {
        (0..sizes().cpu_tasks).map(|id| {
            Task::new(id, |ctx| {
                do_work(sizes().cpu_iterations, ctx)?;
                Ok(String::new())
            })
        })
    }

    fn json_stat(s: &Sample) -> serde_json::Value {
        serde_json::json!({ "median": s.median, "min": s.min, "max": s.max })
    }

    /// The figures `npm run bench` sets beside the browser's, as JSON.
    fn print_json() {
        let n = sizes().noop_tasks as f64;
        let dispatch: serde_json::Map<String, serde_json::Value> = [1, 2, 8]
            .iter()
            .map(|&w| {
                let stat = sample(|| ms(through_session(w, sizes().noop_tasks)) * 1e3 / n);
                (w.to_string(), json_stat(&stat))
            })
            .collect();
        let serial_clock = SystemClock::new();
        let serial = sample(|| {
            let start = Instant::now();
            for id in 0..sizes().cpu_tasks {
                let ctx = TaskContext::detached(id, &serial_clock);
                std::hint::black_box(do_work(sizes().cpu_iterations, &ctx).unwrap());
            }
            ms(start.elapsed())
        });
        let pool: serde_json::Map<String, serde_json::Value> = [1, 2, 4]
            .iter()
            .map(|&w| {
                let stat = sample(|| ms(through_pool(w, cpu_tasks())));
                (w.to_string(), json_stat(&stat))
            })
            .collect();
        let report = serde_json::json!({
            "dispatch": dispatch,
            "cpu": { "serial": json_stat(&serial), "pool": pool },
        });
        println!("{report}");
    }

    pub fn main() {
        if sizes().json {
            print_json();
            return;
        }
        let runs = sizes().runs;
        println!("wasm-worker-pool native benchmarks (median of {runs} runs, [min–max])");
        println!(
            "machine: {} logical CPUs",
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        println!();

        println!(
            "dispatch overhead per no-op task ({} tasks, queue capacity 1024)",
            sizes().noop_tasks
        );
        for workers in [2, 8] {
            let s = sample(|| {
                ms(through_pool(workers, noop_tasks())) * 1e3 / sizes().noop_tasks as f64
            });
            let bare = sample(|| ms(bare_channels(workers)) * 1e3 / sizes().noop_tasks as f64);
            let session = sample(|| {
                ms(through_session(workers, sizes().noop_tasks)) * 1e3 / sizes().noop_tasks as f64
            });
            println!(
                "  {workers} workers: {:.3} µs/task  [{:.3}–{:.3}]   (bare crossbeam channels, same shape: {:.3} µs; through a session, in batches: {:.3} µs)",
                s.median, s.min, s.max, bare.median, session.median
            );
        }
        for cap in [None, Some(8)] {
            let mut startup = Vec::new();
            let s = sample(|| {
                let spawner = ThreadSpawner::new();
                let tasks = (0..SPAWN_TASKS).map(|id| Task::new(id, |_| Ok(String::new())));
                let config = SpawnPerTaskConfig {
                    cap,
                    ..SpawnPerTaskConfig::default()
                };
                let start = Instant::now();
                let run = SpawnPerTask::new(config, tasks.collect(), clock()).unwrap();
                run.join(&spawner);
                let took = ms(start.elapsed()) * 1e3 / SPAWN_TASKS as f64;
                startup.push(run.stats().worker_startup.p50_us);
                took
            });
            startup.sort_by(f64::total_cmp);
            let label = cap.map_or("uncapped".to_string(), |c| format!("cap {c}"));
            println!(
                "  spawn-per-task, {label}, {SPAWN_TASKS} tasks: {:.2} µs/task  [{:.2}–{:.2}]  (thread start p50 {:.0} µs)",
                s.median,
                s.min,
                s.max,
                startup[startup.len() / 2]
            );
        }
        println!();

        println!(
            "CPU-bound: {} × do_work({}); each round runs every variant back to back,",
            sizes().cpu_tasks,
            sizes().cpu_iterations
        );
        println!("speed-up = median over rounds of (serial time / variant time) in the same round");
        let serial_clock = SystemClock::new();
        let serial = || {
            let start = Instant::now();
            for id in 0..sizes().cpu_tasks {
                let ctx = TaskContext::detached(id, &serial_clock);
                std::hint::black_box(do_work(sizes().cpu_iterations, &ctx).unwrap());
            }
            ms(start.elapsed())
        };
        let rayon = || {
            let spawner = ThreadSpawner::new();
            let start = Instant::now();
            let run = RayonRun::start(
                RayonConfig::with_threads(2),
                cpu_tasks().collect(),
                &spawner,
                clock(),
            )
            .unwrap();
            run.join();
            ms(start.elapsed())
        };
        let spawn_per_task = || {
            let spawner = ThreadSpawner::new();
            let start = Instant::now();
            let run = SpawnPerTask::new(
                SpawnPerTaskConfig::default(),
                cpu_tasks().collect(),
                clock(),
            )
            .unwrap();
            run.join(&spawner);
            ms(start.elapsed())
        };
        let labels = [
            "serial",
            "pool, 1 worker",
            "pool, 2 workers",
            "pool, 4 workers",
            "rayon, 2 threads (incl. building the pool)",
            "spawn-per-task (200 threads)",
        ];
        let mut times: Vec<Vec<f64>> = vec![Vec::new(); labels.len()];
        for _ in 0..sizes().runs {
            let round = [
                serial(),
                ms(through_pool(1, cpu_tasks())),
                ms(through_pool(2, cpu_tasks())),
                ms(through_pool(4, cpu_tasks())),
                rayon(),
                spawn_per_task(),
            ];
            for (t, x) in times.iter_mut().zip(round) {
                t.push(x);
            }
        }
        let median = |xs: &[f64]| {
            let mut xs = xs.to_vec();
            xs.sort_by(f64::total_cmp);
            xs[xs.len() / 2]
        };
        for (label, t) in labels.iter().zip(&times) {
            let ratios: Vec<f64> = times[0].iter().zip(t).map(|(s, x)| s / x).collect();
            let (lo, hi) = t
                .iter()
                .fold((f64::MAX, 0f64), |(lo, hi), &x| (lo.min(x), hi.max(x)));
            println!(
                "  {label:<44} {:7.1} ms  [{lo:.1}–{hi:.1}]  speed-up {:.2}×",
                median(t),
                median(&ratios)
            );
        }
    }
}
