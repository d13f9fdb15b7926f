package main

import (
	"fmt"
	"sync"
	"time"
)

// ❌ INCORRECT: Can cause deadlock with unbuffered channel
func incorrectUnbuffered() {
	jobs := make(chan int) // Unbuffered!
	results := make(chan int)
	
	var wg sync.WaitGroup
	
	// Start 2 workers
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			for job := range jobs {
				results <- job * 2 // Blocks if results channel is full!
			}
		}(w)
	}
	
	// Send jobs and collect results in same goroutine
	// ❌ DEADLOCK RISK: If workers block on results, jobs won't be consumed
	for i := 0; i < 10; i++ {
		jobs <- i // This blocks until a worker receives
	}
	close(jobs)
	
	// Try to read results
	for i := 0; i < 10; i++ {
		result := <-results
		fmt.Printf("Result: %d\n", result)
	}
	
	wg.Wait()
}

// ✅ CORRECT: Buffered channels prevent deadlock
func correctBuffered() {
	jobs := make(chan int, 10)    // Buffered
	results := make(chan int, 10) // Buffered
	
	var wg sync.WaitGroup
	
	// Start workers
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			for job := range jobs {
				results <- job * 2
			}
		}(w)
	}
	
	// Send all jobs
	for i := 0; i < 10; i++ {
		jobs <- i
	}
	close(jobs)
	
	// Close results after workers finish
	go func() {
		wg.Wait()
		close(results)
	}()
	
	// Collect results
	for result := range results {
		fmt.Printf("Result: %d\n", result)
	}
	
	fmt.Println("✅ Completed without deadlock")
}

// ✅ CORRECT: Separate goroutines for sending and receiving
func correctSeparateGoroutines() {
	jobs := make(chan int)    // Can be unbuffered
	results := make(chan int) // Can be unbuffered
	
	var wg sync.WaitGroup
	
	// Start workers
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			for job := range jobs {
				results <- job * 2
			}
		}(w)
	}
	
	// Sender goroutine
	go func() {
		for i := 0; i < 10; i++ {
			jobs <- i
		}
		close(jobs)
	}()
	
	// Close results when workers done
	go func() {
		wg.Wait()
		close(results)
	}()
	
	// Receiver in main goroutine
	count := 0
	for result := range results {
		count++
		fmt.Printf("Result: %d\n", result)
	}
	
	fmt.Printf("✅ Processed %d results\n", count)
}

// ❌ INCORRECT: Results channel blocks workers
func incorrectBlockingResults() {
	jobs := make(chan int, 5)
	results := make(chan int) // Unbuffered - dangerous!
	
	var wg sync.WaitGroup
	
	// Workers
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			for job := range jobs {
				fmt.Printf("Worker %d: processing %d\n", id, job)
				results <- job * 2 // ⚠️ BLOCKS if no one is reading!
			}
		}(w)
	}
	
	// Send jobs quickly
	for i := 0; i < 5; i++ {
		jobs <- i
	}
	close(jobs)
	
	fmt.Println("⚠️  Sleeping while workers try to send results...")
	time.Sleep(2 * time.Second)
	
	fmt.Println("Now reading results...")
	for i := 0; i < 5; i++ {
		result := <-results
		fmt.Printf("Got result: %d\n", result)
	}
	
	wg.Wait()
	fmt.Println("⚠️  This worked but workers were blocked!")
}

func main() {
	fmt.Println("🐛 Common Error: Deadlock from Unbuffered Channels")
	fmt.Println("===================================================\n")
	
	fmt.Println("✅ CORRECT: Using buffered channels")
	fmt.Println("-----------------------------------")
	correctBuffered()
	fmt.Println()
	
	fmt.Println("✅ CORRECT: Separate goroutines")
	fmt.Println("-------------------------------")
	correctSeparateGoroutines()
	fmt.Println()
	
	fmt.Println("⚠️  DEMONSTRATING: Blocking behavior")
	fmt.Println("-----------------------------------")
	incorrectBlockingResults()
	
	fmt.Println("\n📝 KEY LESSONS:")
	fmt.Println("━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━")
	fmt.Println("1. Unbuffered channels block until receiver is ready")
	fmt.Println("2. Use buffered channels when producer/consumer rates differ")
	fmt.Println("3. Separate sending and receiving into different goroutines")
	fmt.Println("4. Buffer size should match expected queue depth")
	fmt.Println("5. Don't send and receive on same channel in same goroutine")
}
