package main

import (
	"fmt"
	"sync"
	"time"
)

// ❌ INCORRECT: wg.Add inside goroutine (race condition)
func incorrectWaitGroupRace() {
	var wg sync.WaitGroup
	
	for i := 0; i < 5; i++ {
		go func(id int) {
			wg.Add(1) // ❌ RACE: main might call Wait() before this executes!
			defer wg.Done()
			fmt.Printf("Worker %d: running\n", id)
			time.Sleep(100 * time.Millisecond)
		}(i)
	}
	
	wg.Wait() // Might return immediately if no wg.Add() called yet!
	fmt.Println("⚠️  Main finished (but some workers might still be running!)")
}

// ✅ CORRECT: wg.Add before starting goroutine
func correctWaitGroupTiming() {
	var wg sync.WaitGroup
	
	for i := 0; i < 5; i++ {
		wg.Add(1) // ✅ Add BEFORE starting goroutine
		go func(id int) {
			defer wg.Done()
			fmt.Printf("Worker %d: running\n", id)
			time.Sleep(100 * time.Millisecond)
		}(i)
	}
	
	wg.Wait()
	fmt.Println("✅ All workers completed")
}

// ❌ INCORRECT: Passing WaitGroup by value
func incorrectWorker(id int, wg sync.WaitGroup) { // ❌ Passed by value!
	defer wg.Done() // This modifies a COPY, not the original!
	fmt.Printf("Worker %d: running\n", id)
	time.Sleep(100 * time.Millisecond)
}

func incorrectWaitGroupValue() {
	var wg sync.WaitGroup
	
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go incorrectWorker(i, wg) // ❌ Passes copy of WaitGroup
	}
	
	// This will wait forever because original wg.Done() never called!
	fmt.Println("⚠️  Waiting (this would hang forever)...")
	
	// Using timeout to prevent actual hang in demo
	done := make(chan bool)
	go func() {
		wg.Wait()
		done <- true
	}()
	
	select {
	case <-done:
		fmt.Println("Completed")
	case <-time.After(2 * time.Second):
		fmt.Println("❌ TIMEOUT: WaitGroup never completed (passed by value!)")
	}
}

// ✅ CORRECT: Passing WaitGroup by pointer
func correctWorker(id int, wg *sync.WaitGroup) { // ✅ Pointer
	defer wg.Done()
	fmt.Printf("Worker %d: running\n", id)
	time.Sleep(100 * time.Millisecond)
}

func correctWaitGroupPointer() {
	var wg sync.WaitGroup
	
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go correctWorker(i, &wg) // ✅ Pass pointer
	}
	
	wg.Wait()
	fmt.Println("✅ All workers completed")
}

// ❌ INCORRECT: Forgetting Done() call
func incorrectForgotDone() {
	var wg sync.WaitGroup
	
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(id int) {
			// ❌ FORGOT: defer wg.Done()
			fmt.Printf("Worker %d: running\n", id)
			time.Sleep(100 * time.Millisecond)
			
			if id == 1 {
				return // Early return without Done()!
			}
			
			wg.Done() // Only called conditionally
		}(i)
	}
	
	fmt.Println("⚠️  Waiting (this would hang)...")
	
	done := make(chan bool)
	go func() {
		wg.Wait()
		done <- true
	}()
	
	select {
	case <-done:
		fmt.Println("Completed")
	case <-time.After(2 * time.Second):
		fmt.Println("❌ TIMEOUT: One worker forgot to call Done()!")
	}
}

// ✅ CORRECT: Always use defer for Done()
func correctAlwaysDefer() {
	var wg sync.WaitGroup
	
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done() // ✅ ALWAYS use defer
			
			fmt.Printf("Worker %d: running\n", id)
			time.Sleep(100 * time.Millisecond)
			
			if id == 1 {
				return // Early return is safe with defer
			}
		}(i)
	}
	
	wg.Wait()
	fmt.Println("✅ All workers completed (even with early returns)")
}

func main() {
	fmt.Println("🐛 Common Errors: WaitGroup Usage")
	fmt.Println("==================================\n")
	
	fmt.Println("❌ ERROR 1: wg.Add() inside goroutine")
	fmt.Println("-------------------------------------")
	incorrectWaitGroupRace()
	time.Sleep(500 * time.Millisecond)
	fmt.Println()
	
	fmt.Println("✅ CORRECT: wg.Add() before goroutine")
	fmt.Println("------------------------------------")
	correctWaitGroupTiming()
	fmt.Println()
	
	fmt.Println("❌ ERROR 2: Passing WaitGroup by value")
	fmt.Println("--------------------------------------")
	incorrectWaitGroupValue()
	fmt.Println()
	
	fmt.Println("✅ CORRECT: Passing WaitGroup by pointer")
	fmt.Println("---------------------------------------")
	correctWaitGroupPointer()
	fmt.Println()
	
	fmt.Println("❌ ERROR 3: Forgetting Done() call")
	fmt.Println("---------------------------------")
	incorrectForgotDone()
	fmt.Println()
	
	fmt.Println("✅ CORRECT: Always use defer Done()")
	fmt.Println("----------------------------------")
	correctAlwaysDefer()
	
	fmt.Println("\n📝 KEY LESSONS:")
	fmt.Println("━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━")
	fmt.Println("1. Call wg.Add() BEFORE starting goroutine")
	fmt.Println("2. ALWAYS pass WaitGroup by pointer (*sync.WaitGroup)")
	fmt.Println("3. ALWAYS use 'defer wg.Done()' at start of goroutine")
	fmt.Println("4. Match every Add(1) with exactly one Done()")
	fmt.Println("5. Don't copy WaitGroups (use pointers)")
}
