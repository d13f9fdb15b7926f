package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

func measureGoroutines(label string, fn func()) {
	runtime.GC() // Clean up before measuring
	
	beforeGoroutines := runtime.NumGoroutine()
	var memBefore runtime.MemStats
	runtime.ReadMemStats(&memBefore)
	
	start := time.Now()
	fn()
	elapsed := time.Since(start)
	
	runtime.GC() // Clean up after
	time.Sleep(100 * time.Millisecond) // Let things settle
	
	afterGoroutines := runtime.NumGoroutine()
	var memAfter runtime.MemStats
	runtime.ReadMemStats(&memAfter)
	
	fmt.Printf("\n%s\n", label)
	fmt.Println(string(make([]byte, len(label))))
	fmt.Printf("Goroutines (before → peak): %d → ~%d\n", beforeGoroutines, afterGoroutines)
	fmt.Printf("Memory allocated: %.2f MB\n", float64(memAfter.TotalAlloc-memBefore.TotalAlloc)/1024/1024)
	fmt.Printf("Execution time: %v\n", elapsed)
}

// Simulated work function
func doWork(id int) int {
	sum := 0
	for i := 0; i < 1000000; i++ {
		sum += i
	}
	return sum
}

// WITHOUT worker pool
func withoutWorkerPool(numTasks int) {
	var wg sync.WaitGroup
	
	for i := 0; i < numTasks; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			doWork(id)
		}(i)
	}
	
	wg.Wait()
}

// WITH worker pool
func withWorkerPool(numTasks, numWorkers int) {
	jobs := make(chan int, 100)
	var wg sync.WaitGroup
	
	// Start workers
	for w := 0; w < numWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				doWork(id)
			}
		}()
	}
	
	// Send jobs
	for i := 0; i < numTasks; i++ {
		jobs <- i
	}
	close(jobs)
	
	wg.Wait()
}

func main() {
	fmt.Println("🔬 CONTROL COMPARISON: Worker Pool vs Unlimited Goroutines")
	fmt.Println("===========================================================\n")
	
	const numTasks = 1000
	const numWorkers = 10
	
	fmt.Printf("Test parameters:\n")
	fmt.Printf("  - Number of tasks: %d\n", numTasks)
	fmt.Printf("  - Number of workers (for pool): %d\n", numWorkers)
	
	// Test WITHOUT worker pool
	measureGoroutines(
		"❌ WITHOUT WORKER POOL (Unlimited Goroutines)",
		func() { withoutWorkerPool(numTasks) },
	)
	
	// Test WITH worker pool
	measureGoroutines(
		"✅ WITH WORKER POOL (Limited Goroutines)",
		func() { withWorkerPool(numTasks, numWorkers) },
	)
	
	fmt.Println("\n📊 KEY INSIGHTS:")
	fmt.Println("━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━")
	fmt.Println("1. Goroutine Count:")
	fmt.Printf("   Without pool: Creates %d goroutines\n", numTasks)
	fmt.Printf("   With pool: Creates only %d goroutines\n", numWorkers)
	fmt.Printf("   Reduction: %d%% fewer goroutines!\n\n", (numTasks-numWorkers)*100/numTasks)
	
	fmt.Println("2. Memory Usage:")
	fmt.Println("   Without pool: High memory due to many goroutine stacks")
	fmt.Println("   With pool: Low memory, fixed overhead\n")
	
	fmt.Println("3. Scheduler Pressure:")
	fmt.Println("   Without pool: Go scheduler manages 1000+ goroutines")
	fmt.Println("   With pool: Go scheduler manages only 10 goroutines\n")
	
	fmt.Println("4. Control & Predictability:")
	fmt.Println("   Without pool: ❌ No control over concurrency")
	fmt.Println("                 ❌ Unpredictable resource usage")
	fmt.Println("                 ❌ Risk of resource exhaustion")
	fmt.Println("   With pool:    ✅ Full control over concurrency")
	fmt.Println("                 ✅ Predictable resource usage")
	fmt.Println("                 ✅ Protected from resource exhaustion")
}
