package loadtest

import (
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync"
	"syscall"
	"time"
)

// Result is what a run measured, over its measured part only.
type Result struct {
	Updates  int // answered
	Errors   int // not handled (webhook not 200) or not answered in time
	Diverged int // a step's button was not there; the customer went back to the menu
	Missed   int // open loop: ticks when every customer was still waiting
	Elapsed  time.Duration

	P50, P95, P99, Max time.Duration // webhook request to the reply's arrival

	CPU             time.Duration // user + system time of the whole process
	AllocsPerUpdate float64
	BytesPerUpdate  float64
	PeakHeap        uint64 // heap objects, sampled every 10 ms
	FirstError      string
}

// PerSecond is the updates answered a second.
func (r Result) PerSecond() float64 { return float64(r.Updates) / r.Elapsed.Seconds() }

// CPUPerUpdate is the process's CPU time per answered update.
func (r Result) CPUPerUpdate() time.Duration {
	if r.Updates == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.Updates)
}

// Print writes the figures, one a line.
func (r Result) Print(w io.Writer, name string) {
	fmt.Fprintf(w, "%s\n", name)
	fmt.Fprintf(w, "  updates/s        %.0f  (%d answered in %.1fs; %d errors, %d back to the menu, %d open-loop ticks missed)\n",
		r.PerSecond(), r.Updates, r.Elapsed.Seconds(), r.Errors, r.Diverged, r.Missed)
	fmt.Fprintf(w, "  latency          p50 %v  p95 %v  p99 %v  max %v\n", round(r.P50), round(r.P95), round(r.P99), round(r.Max))
	fmt.Fprintf(w, "  CPU per update   %v  (whole process: bot, fake Bot API and customers)\n", round(r.CPUPerUpdate()))
	fmt.Fprintf(w, "  allocs/update    %.0f  (%.1f KiB)\n", r.AllocsPerUpdate, r.BytesPerUpdate/1024)
	fmt.Fprintf(w, "  peak heap        %.1f MiB\n", float64(r.PeakHeap)/(1<<20))
	if r.FirstError != "" {
		fmt.Fprintf(w, "  first error      %s\n", r.FirstError)
	}
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= 100*time.Millisecond:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// recorder collects latencies once started, and the process's resources
// over the same span.
type recorder struct {
	mu        sync.Mutex
	on        bool
	began     time.Time
	latencies []time.Duration
	res       Result
	cpu0      time.Duration
	allocs0   [2]uint64
	peak      uint64
	stopPeak  chan struct{}
	peakDone  chan struct{}
}

func newRecorder() *recorder {
	return &recorder{stopPeak: make(chan struct{}), peakDone: make(chan struct{})}
}

func (r *recorder) start() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on, r.began = true, time.Now()
	r.cpu0 = cpuTime()
	r.allocs0 = allocs()
	go r.samplePeak()
}

func (r *recorder) samplePeak() {
	defer close(r.peakDone)
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for {
		metrics.Read(s)
		r.mu.Lock()
		r.peak = max(r.peak, s[0].Value.Uint64())
		r.mu.Unlock()
		select {
		case <-r.stopPeak:
			return
		case <-t.C:
		}
	}
}

func (r *recorder) stop() Result {
	r.mu.Lock()
	if !r.on {
		r.mu.Unlock()
		return r.res
	}
	r.on = false
	res := r.res
	res.Elapsed = time.Since(r.began)
	res.CPU = cpuTime() - r.cpu0
	a := allocs()
	lat := r.latencies
	r.mu.Unlock()
	close(r.stopPeak)
	<-r.peakDone
	res.PeakHeap = r.peak
	res.Updates = len(lat)
	if res.Updates > 0 {
		res.AllocsPerUpdate = float64(a[0]-r.allocs0[0]) / float64(res.Updates)
		res.BytesPerUpdate = float64(a[1]-r.allocs0[1]) / float64(res.Updates)
		slices.Sort(lat)
		q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
		res.P50, res.P95, res.P99, res.Max = q(0.50), q(0.95), q(0.99), lat[len(lat)-1]
	}
	return res
}

func (r *recorder) answered(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.on {
		r.latencies = append(r.latencies, d)
	}
}

func (r *recorder) failed(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.on {
		r.res.Errors++
		if r.res.FirstError == "" {
			r.res.FirstError = err.Error()
		}
	}
}

func (r *recorder) diverged() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.on {
		r.res.Diverged++
	}
}

func (r *recorder) missed() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.on {
		r.res.Missed++
	}
}

// cpuTime is the user and system time the process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// allocs is the objects and bytes allocated so far.
func allocs() [2]uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:objects"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return [2]uint64{s[0].Value.Uint64(), s[1].Value.Uint64()}
}

// LiveHeap is the heap in use after a collection.
func LiveHeap() uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
