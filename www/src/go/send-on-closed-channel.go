package main

import (
	"fmt"
	"sync"
	"time"
)

// ❌ INCORRECT: Race condition - might send on closed channel
func incorrectChannelUsage() {
	jobs := make(chan int)
	var wg sync.WaitGroup
	
	// Start worker
	wg.Add(1)
	go func() {
		defer wg.Done()
		for job := range jobs {
			fmt.Printf("Processing: %d\n", job)
			time.Sleep(10 * time.Millisecond)
		}
	}()
	
	// Sender goroutine
	go func() {
		for i := 0; i < 5; i++ {
			jobs <- i
			time.Sleep(20 * time.Millisecond)
		}
		close(jobs) // Close after sending
	}()
	
	// ❌ PROBLEM: Another sender doesn't know channel is closed
	time.Sleep(50 * time.Millisecond)
	
	// This might panic if channel is already closed!
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("❌ PANIC CAUGHT: %v\n", r)
		}
	}()
	
	jobs <- 999 // ⚠️ Might send on closed channel!
	
	wg.Wait()
}

// ✅ CORRECT: Single sender, clear ownership
func correctChannelUsage() {
	jobs := make(chan int)
	var wg sync.WaitGroup
	
	// Start worker
	wg.Add(1)
	go func() {
		defer wg.Done()
		for job := range jobs {
			fmt.Printf("Processing: %d\n", job)
		}
	}()
	
	// ✅ SOLUTION: Single goroutine owns sending and closing
	func() {
		defer close(jobs) // Guaranteed to close after all sends
		for i := 0; i < 5; i++ {
			jobs <- i
		}
	}()
	
	wg.Wait()
	fmt.Println("✅ Completed successfully")
}

// ✅ CORRECT: Multiple senders with sync
func correctMultipleSenders() {
	jobs := make(chan int, 10)
	var senderWg sync.WaitGroup
	var workerWg sync.WaitGroup
	
	// Start worker
	workerWg.Add(1)
	go func() {
		defer workerWg.Done()
		for job := range jobs {
			fmt.Printf("Processing: %d\n", job)
		}
	}()
	
	// Multiple senders
	numSenders := 3
	for s := 0; s < numSenders; s++ {
		senderWg.Add(1)
		go func(senderID int) {
			defer senderWg.Done()
			for i := 0; i < 5; i++ {
				jobs <- senderID*100 + i
			}
		}(s)
	}
	
	// ✅ SOLUTION: Close channel after ALL senders finish
	go func() {
		senderWg.Wait()
		close(jobs)
	}()
	
	workerWg.Wait()
	fmt.Println("✅ All senders completed successfully")
}

func main() {
	fmt.Println("🐛 Common Error: Sending on Closed Channel")
	fmt.Println("===========================================\n")
	
	fmt.Println("❌ INCORRECT: Race condition")
	fmt.Println("---------------------------")
	incorrectChannelUsage()
	fmt.Println()
	
	fmt.Println("✅ CORRECT: Single sender")
	fmt.Println("------------------------")
	correctChannelUsage()
	fmt.Println()
	
	fmt.Println("✅ CORRECT: Multiple senders with synchronization")
	fmt.Println("------------------------------------------------")
	correctMultipleSenders()
	
	fmt.Println("\n📝 KEY LESSONS:")
	fmt.Println("━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━")
	fmt.Println("1. Only the sender(s) should close channels")
	fmt.Println("2. Sending on closed channel causes panic")
	fmt.Println("3. With multiple senders, wait for ALL before closing")
	fmt.Println("4. Use sync.WaitGroup to coordinate closing")
	fmt.Println("5. Consider using a dedicated 'closer' goroutine")
}
