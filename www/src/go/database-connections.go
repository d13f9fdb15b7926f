package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// DatabaseConnection simulates a DB connection
type DatabaseConnection struct {
	id       int
	inUse    bool
	queryNum int
}

// ConnectionPool manages database connections
type ConnectionPool struct {
	connections []*DatabaseConnection
	available   chan *DatabaseConnection
	mu          sync.Mutex
}

// NewConnectionPool creates a pool of database connections
func NewConnectionPool(size int) *ConnectionPool {
	pool := &ConnectionPool{
		connections: make([]*DatabaseConnection, size),
		available:   make(chan *DatabaseConnection, size),
	}
	
	for i := 0; i < size; i++ {
		conn := &DatabaseConnection{id: i + 1}
		pool.connections[i] = conn
		pool.available <- conn
	}
	
	return pool
}

// Acquire gets a connection from the pool
func (cp *ConnectionPool) Acquire(ctx context.Context) (*DatabaseConnection, error) {
	select {
	case conn := <-cp.available:
		cp.mu.Lock()
		conn.inUse = true
		cp.mu.Unlock()
		return conn, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Release returns a connection to the pool
func (cp *ConnectionPool) Release(conn *DatabaseConnection) {
	cp.mu.Lock()
	conn.inUse = false
	cp.mu.Unlock()
	cp.available <- conn
}

// Query simulates a database query
func (conn *DatabaseConnection) Query(queryID int) error {
	conn.queryNum++
	fmt.Printf("   [DB Conn %d] Executing query %d (total queries: %d)\n", 
		conn.id, queryID, conn.queryNum)
	
	// Simulate query execution time
	time.Sleep(time.Duration(100+queryID*10) * time.Millisecond)
	return nil
}

// QueryTask represents a database query task
type QueryTask struct {
	ID    int
	Query string
}

// DBWorkerPool manages workers that use database connections
type DBWorkerPool struct {
	workerCount int
	connPool    *ConnectionPool
	tasks       chan QueryTask
	results     chan error
	wg          sync.WaitGroup
	ctx         context.Context
	cancel      context.CancelFunc
}

// NewDBWorkerPool creates a worker pool for DB operations
func NewDBWorkerPool(ctx context.Context, workerCount, dbConnections int) *DBWorkerPool {
	ctx, cancel := context.WithCancel(ctx)
	
	return &DBWorkerPool{
		workerCount: workerCount,
		connPool:    NewConnectionPool(dbConnections),
		tasks:       make(chan QueryTask, 50),
		results:     make(chan error, 50),
		ctx:         ctx,
		cancel:      cancel,
	}
}

// Start launches the worker pool
func (dwp *DBWorkerPool) Start() {
	fmt.Printf("Starting %d workers with %d DB connections\n\n", 
		dwp.workerCount, len(dwp.connPool.connections))
	
	for i := 1; i <= dwp.workerCount; i++ {
		dwp.wg.Add(1)
		go dwp.worker(i)
	}
}

// worker processes database queries
func (dwp *DBWorkerPool) worker(id int) {
	defer dwp.wg.Done()
	
	fmt.Printf("Worker %d: Started\n", id)
	
	for {
		select {
		case <-dwp.ctx.Done():
			fmt.Printf("Worker %d: Cancelled\n", id)
			return
			
		case task, ok := <-dwp.tasks:
			if !ok {
				fmt.Printf("Worker %d: Shutting down\n", id)
				return
			}
			
			// Acquire database connection
			conn, err := dwp.connPool.Acquire(dwp.ctx)
			if err != nil {
				dwp.results <- fmt.Errorf("worker %d: failed to acquire connection: %w", id, err)
				continue
			}
			
			fmt.Printf("Worker %d: Acquired DB connection %d for task %d\n", 
				id, conn.id, task.ID)
			
			// Execute query
			err = conn.Query(task.ID)
			
			// Release connection back to pool
			dwp.connPool.Release(conn)
			fmt.Printf("Worker %d: Released DB connection %d\n", id, conn.id)
			
			dwp.results <- err
		}
	}
}

// Submit adds a query task
func (dwp *DBWorkerPool) Submit(task QueryTask) error {
	select {
	case dwp.tasks <- task:
		return nil
	case <-dwp.ctx.Done():
		return dwp.ctx.Err()
	}
}

// Close gracefully shuts down the pool
func (dwp *DBWorkerPool) Close() {
	close(dwp.tasks)
	dwp.wg.Wait()
	close(dwp.results)
}

func main() {
	const (
		numWorkers      = 10  // Many workers
		numDBConnections = 3  // Limited DB connections
		numQueries      = 20
	)
	
	fmt.Println("🗄️  Database Worker Pool Example")
	fmt.Println("=" + string(make([]byte, 50)))
	fmt.Printf("Scenario: %d workers sharing %d database connections\n", 
		numWorkers, numDBConnections)
	fmt.Println("This demonstrates how worker pools control resource usage\n")
	
	ctx := context.Background()
	
	// Create worker pool
	pool := NewDBWorkerPool(ctx, numWorkers, numDBConnections)
	pool.Start()
	
	// Submit queries
	go func() {
		for i := 1; i <= numQueries; i++ {
			task := QueryTask{
				ID:    i,
				Query: fmt.Sprintf("SELECT * FROM table WHERE id = %d", i),
			}
			
			if err := pool.Submit(task); err != nil {
				fmt.Printf("Failed to submit query %d: %v\n", i, err)
			}
		}
		pool.Close()
	}()
	
	// Collect results
	errorCount := 0
	for err := range pool.results {
		if err != nil {
			errorCount++
			fmt.Printf("❌ Query failed: %v\n", err)
		}
	}
	
	fmt.Printf("\n✅ All queries completed!\n")
	fmt.Printf("   Errors: %d\n", errorCount)
	fmt.Printf("   Key benefit: %d workers efficiently shared %d connections\n", 
		numWorkers, numDBConnections)
	fmt.Printf("   Without worker pool: Would need %d connections or serialize all queries!\n", 
		numWorkers)
}
