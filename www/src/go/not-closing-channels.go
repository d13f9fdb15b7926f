package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// ❌ INCORRECT: Channel never closed, goroutines leak
func incorrectWorkerPool() {
	jobs := make(chan int)
	var wg sync.WaitGroup
	
	// Start workers
	for w := 0; w < 5; w++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			// Workers wait forever for jobs that never come
			for job := range jobs {
				fmt.Printf("Worker %d: processing %d\n", id, job)
			}
		}(w)
	}
	
	// Send some jobs
	for i := 0; i < 10; i++ {
		jobs <- i
	}
	
	// ❌ PROBLEM: Channel never closed!
	// Workers are stuck in "for range jobs" forever
	// Calling wg.Wait() here would deadlock!
	
	fmt.Println("⚠️  Main finished, but workers are still waiting...")
	fmt.Printf("Goroutines still running: %d\n", runtime.NumGoroutine())
}

// ✅ CORRECT: Properly close channels
func correctWorkerPool() {
	jobs := make(chan int)
	var wg sync.WaitGroup
	
	// Start workers
	for w := 0; w < 5; w++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			for job := range jobs {
				fmt.Printf("Worker %d: processing %d\n", id, job)
			}
			fmt.Printf("Worker %d: shutting down cleanly\n", id)
		}(w)
	}
	
	// Send jobs
	for i := 0; i < 10; i++ {
		jobs <- i
	}
	
	// ✅ SOLUTION: Close the channel
	close(jobs)
	
	// Wait for workers to finish
	wg.Wait()
	
	fmt.Println("✅ All workers shut down cleanly")
	fmt.Printf("Goroutines remaining: %d\n", runtime.NumGoroutine())
}

func main() {
	fmt.Println("🐛 Common Error: Not Closing Channels")
	fmt.Println("=====================================\n")
	
	fmt.Println("❌ INCORRECT VERSION (Goroutine Leak):")
	fmt.Println("--------------------------------------")
	beforeGoroutines := runtime.NumGoroutine()
	incorrectWorkerPool()
	time.Sleep(500 * time.Millisecond)
	afterGoroutines := runtime.NumGoroutine()
	fmt.Printf("Leaked goroutines: %d\n", afterGoroutines-beforeGoroutines)
	fmt.Println()
	
	fmt.Println("✅ CORRECT VERSION:")
	fmt.Println("------------------")
	correctWorkerPool()
	
	fmt.Println("\n📝 KEY LESSONS:")
	fmt.Println("━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━")
	fmt.Println("1. ALWAYS close channels when no more data will be sent")
	fmt.Println("2. Workers using 'for range channel' need the channel closed to exit")
	fmt.Println("3. Not closing channels causes goroutine leaks")
	fmt.Println("4. Use defer close() when appropriate, or close after all sends")
}
