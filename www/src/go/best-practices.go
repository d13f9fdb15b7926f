package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Task represents work to be done
type Task struct {
	ID   int
	Data interface{}
}

// Result represents task outcome
type Result struct {
	TaskID int
	Data   interface{}
	Err    error
}

// BestPracticeWorkerPool demonstrates all best practices
type BestPracticeWorkerPool struct {
	workerCount int
	tasks       chan Task
	results     chan Result
	wg          sync.WaitGroup
	ctx         context.Context
	cancel      context.CancelFunc
	once        sync.Once // Ensure Close() is called only once
}

// NewBestPracticeWorkerPool creates a production-ready worker pool
func NewBestPracticeWorkerPool(ctx context.Context, workerCount, bufferSize int) *BestPracticeWorkerPool {
	// ✅ BEST PRACTICE 1: Use context for cancellation
	ctx, cancel := context.WithCancel(ctx)
	
	// ✅ BEST PRACTICE 2: Use buffered channels to prevent blocking
	return &BestPracticeWorkerPool{
		workerCount: workerCount,
		tasks:       make(chan Task, bufferSize),
		results:     make(chan Result, bufferSize),
		ctx:         ctx,
		cancel:      cancel,
	}
}

// Start launches worker pool
func (bp *BestPracticeWorkerPool) Start() {
	// ✅ BEST PRACTICE 3: Add to WaitGroup BEFORE starting goroutines
	for i := 1; i <= bp.workerCount; i++ {
		bp.wg.Add(1)
		go bp.worker(i)
	}
}

// worker processes tasks
func (bp *BestPracticeWorkerPool) worker(id int) {
	// ✅ BEST PRACTICE 4: ALWAYS use defer for cleanup
	defer bp.wg.Done()
	
	for {
		select {
		// ✅ BEST PRACTICE 5: Respect context cancellation
		case <-bp.ctx.Done():
			return
			
		case task, ok := <-bp.tasks:
			// ✅ BEST PRACTICE 6: Check if channel is closed
			if !ok {
				return
			}
			
			// ✅ BEST PRACTICE 7: Handle panics in workers
			func() {
				defer func() {
					if r := recover(); r != nil {
						bp.results <- Result{
							TaskID: task.ID,
							Err:    fmt.Errorf("panic in worker %d: %v", id, r),
						}
					}
				}()
				
				// Process task
				result := bp.processTask(id, task)
				
				// Send result (with context check)
				select {
				case bp.results <- result:
				case <-bp.ctx.Done():
					return
				}
			}()
		}
	}
}

// processTask does the actual work
func (bp *BestPracticeWorkerPool) processTask(workerID int, task Task) Result {
	// ✅ BEST PRACTICE 8: Add timeouts to long-running operations
	ctx, cancel := context.WithTimeout(bp.ctx, 5*time.Second)
	defer cancel()
	
	done := make(chan Result, 1)
	
	go func() {
		// Simulate work
		time.Sleep(100 * time.Millisecond)
		
		done <- Result{
			TaskID: task.ID,
			Data:   fmt.Sprintf("Processed by worker %d", workerID),
			Err:    nil,
		}
	}()
	
	select {
	case result := <-done:
		return result
	case <-ctx.Done():
		return Result{
			TaskID: task.ID,
			Err:    errors.New("task timeout"),
		}
	}
}

// Submit adds a task to the queue
func (bp *BestPracticeWorkerPool) Submit(task Task) error {
	// ✅ BEST PRACTICE 9: Check context before blocking operations
	select {
	case bp.tasks <- task:
		return nil
	case <-bp.ctx.Done():
		return bp.ctx.Err()
	}
}

// Close gracefully shuts down the pool
func (bp *BestPracticeWorkerPool) Close() {
	// ✅ BEST PRACTICE 10: Use sync.Once to prevent double-close
	bp.once.Do(func() {
		close(bp.tasks)
		bp.wg.Wait()
		close(bp.results)
	})
}

// Cancel immediately stops all workers
func (bp *BestPracticeWorkerPool) Cancel() {
	bp.cancel()
	bp.wg.Wait()
	
	// Drain channels to prevent leaks
	close(bp.results)
	for range bp.tasks {
		// Drain tasks channel
	}
}

// Results returns the results channel
func (bp *BestPracticeWorkerPool) Results() <-chan Result {
	return bp.results
}

// ✅ BEST PRACTICE 11: Provide monitoring/metrics
func (bp *BestPracticeWorkerPool) Stats() (queuedTasks, queuedResults int) {
	return len(bp.tasks), len(bp.results)
}

func main() {
	fmt.Println("✅ WORKER POOL BEST PRACTICES")
	fmt.Println("================================\n")
	
	// ✅ BEST PRACTICE 12: Use context for application lifecycle
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	
	// Create pool with appropriate sizing
	// ✅ BEST PRACTICE 13: Size based on workload characteristics
	// CPU-bound: numWorkers = runtime.NumCPU()
	// I/O-bound: numWorkers = 10-100+ (depends on wait times)
	pool := NewBestPracticeWorkerPool(ctx, 5, 50)
	pool.Start()
	
	// Submit tasks
	numTasks := 20
	go func() {
		for i := 1; i <= numTasks; i++ {
			if err := pool.Submit(Task{ID: i, Data: fmt.Sprintf("data-%d", i)}); err != nil {
				fmt.Printf("Failed to submit task %d: %v\n", i, err)
				break
			}
		}
		// ✅ BEST PRACTICE 14: Close pool when done submitting
		pool.Close()
	}()
	
	// Collect results
	successCount := 0
	errorCount := 0
	
	for result := range pool.Results() {
		if result.Err != nil {
			errorCount++
			fmt.Printf("❌ Task %d failed: %v\n", result.TaskID, result.Err)
		} else {
			successCount++
			fmt.Printf("✓ Task %d: %v\n", result.TaskID, result.Data)
		}
		
		// ✅ BEST PRACTICE 15: Monitor queue depth
		queued, _ := pool.Stats()
		if queued > 40 {
			fmt.Printf("⚠️  Warning: Queue depth high (%d tasks)\n", queued)
		}
	}
	
	fmt.Printf("\n📊 Final Results:\n")
	fmt.Printf("   Success: %d\n", successCount)
	fmt.Printf("   Errors: %d\n", errorCount)
	
	fmt.Println("\n📝 BEST PRACTICES SUMMARY:")
	fmt.Println("━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━")
	fmt.Println("1.  ✅ Use context.Context for cancellation")
	fmt.Println("2.  ✅ Use buffered channels")
	fmt.Println("3.  ✅ Call wg.Add() before starting goroutines")
	fmt.Println("4.  ✅ Always use defer for cleanup")
	fmt.Println("5.  ✅ Respect context cancellation")
	fmt.Println("6.  ✅ Check if channels are closed")
	fmt.Println("7.  ✅ Handle panics in workers")
	fmt.Println("8.  ✅ Add timeouts to operations")
	fmt.Println("9.  ✅ Check context before blocking")
	fmt.Println("10. ✅ Use sync.Once for cleanup")
	fmt.Println("11. ✅ Provide monitoring/metrics")
	fmt.Println("12. ✅ Use context for lifecycle")
	fmt.Println("13. ✅ Size workers appropriately")
	fmt.Println("14. ✅ Close pool when done")
	fmt.Println("15. ✅ Monitor queue depth")
}
