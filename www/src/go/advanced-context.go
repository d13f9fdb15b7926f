package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"sync"
	"time"
)

// Task represents work to be done
type Task struct {
	ID   int
	Data string
}

// TaskResult contains the outcome of processing
type TaskResult struct {
	TaskID int
	Output string
	Error  error
}

// WorkerPool manages a pool of workers
type WorkerPool struct {
	workerCount int
	tasks       chan Task
	results     chan TaskResult
	wg          sync.WaitGroup
	ctx         context.Context
	cancel      context.CancelFunc
}

// NewWorkerPool creates a new worker pool
func NewWorkerPool(ctx context.Context, workerCount, taskBufferSize int) *WorkerPool {
	ctx, cancel := context.WithCancel(ctx)
	
	return &WorkerPool{
		workerCount: workerCount,
		tasks:       make(chan Task, taskBufferSize),
		results:     make(chan TaskResult, taskBufferSize),
		ctx:         ctx,
		cancel:      cancel,
	}
}

// Start launches the worker pool
func (wp *WorkerPool) Start() {
	for i := 1; i <= wp.workerCount; i++ {
		wp.wg.Add(1)
		go wp.worker(i)
	}
}

// worker processes tasks from the queue
func (wp *WorkerPool) worker(id int) {
	defer wp.wg.Done()
	
	fmt.Printf("Worker %d: Started\n", id)
	
	for {
		select {
		case <-wp.ctx.Done():
			fmt.Printf("Worker %d: Cancelled\n", id)
			return
			
		case task, ok := <-wp.tasks:
			if !ok {
				fmt.Printf("Worker %d: No more tasks, shutting down\n", id)
				return
			}
			
			// Process the task
			result := wp.processTask(id, task)
			
			// Send result
			select {
			case wp.results <- result:
			case <-wp.ctx.Done():
				return
			}
		}
	}
}

// processTask simulates task processing with potential errors
func (wp *WorkerPool) processTask(workerID int, task Task) TaskResult {
	fmt.Printf("Worker %d: Processing task %d\n", workerID, task.ID)
	
	// Simulate work
	processingTime := time.Duration(rand.Intn(500)) * time.Millisecond
	time.Sleep(processingTime)
	
	// Simulate occasional errors (10% failure rate)
	if rand.Float32() < 0.1 {
		return TaskResult{
			TaskID: task.ID,
			Error:  errors.New("random processing error"),
		}
	}
	
	return TaskResult{
		TaskID: task.ID,
		Output: fmt.Sprintf("Processed '%s' by worker %d", task.Data, workerID),
		Error:  nil,
	}
}

// Submit adds a task to the queue
func (wp *WorkerPool) Submit(task Task) error {
	select {
	case wp.tasks <- task:
		return nil
	case <-wp.ctx.Done():
		return wp.ctx.Err()
	}
}

// Close signals no more tasks and waits for completion
func (wp *WorkerPool) Close() {
	close(wp.tasks)
	wp.wg.Wait()
	close(wp.results)
}

// Cancel stops all workers immediately
func (wp *WorkerPool) Cancel() {
	wp.cancel()
	wp.wg.Wait()
	close(wp.results)
}

// Results returns the results channel
func (wp *WorkerPool) Results() <-chan TaskResult {
	return wp.results
}

func main() {
	rand.Seed(time.Now().UnixNano())
	
	const (
		numWorkers = 3
		numTasks   = 20
		timeout    = 10 * time.Second
	)
	
	fmt.Println("🚀 Advanced Worker Pool with Context & Error Handling")
	fmt.Printf("Workers: %d | Tasks: %d | Timeout: %v\n\n", numWorkers, numTasks, timeout)
	
	// Create context with timeout
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	
	// Create and start worker pool
	pool := NewWorkerPool(ctx, numWorkers, 10)
	pool.Start()
	
	// Submit tasks
	go func() {
		for i := 1; i <= numTasks; i++ {
			task := Task{
				ID:   i,
				Data: fmt.Sprintf("task-data-%d", i),
			}
			
			if err := pool.Submit(task); err != nil {
				fmt.Printf("Failed to submit task %d: %v\n", i, err)
				break
			}
		}
		pool.Close() // Signal no more tasks
	}()
	
	// Collect results
	successCount := 0
	failureCount := 0
	
	for result := range pool.Results() {
		if result.Error != nil {
			failureCount++
			fmt.Printf("❌ Task %d failed: %v\n", result.TaskID, result.Error)
		} else {
			successCount++
			fmt.Printf("✓ Task %d: %s\n", result.TaskID, result.Output)
		}
	}
	
	fmt.Printf("\n📊 Summary:\n")
	fmt.Printf("   Total tasks: %d\n", numTasks)
	fmt.Printf("   Successful: %d\n", successCount)
	fmt.Printf("   Failed: %d\n", failureCount)
	fmt.Printf("   Workers used: %d\n", numWorkers)
}
