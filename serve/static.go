package serve

import (
	"bytes"
	"embed"
	"io/fs"
	"net/http"
	"time"
)

// The page: HTML, CSS and plain JavaScript modules, embedded, with no
// build step; nothing is fetched from elsewhere.
//
//go:embed static
var staticFS embed.FS

// static is the page's files.
var static = func() fs.FS {
	f, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embedded directory is there
	}
	return f
}()

// staticFiles serves the page's files (no directory listings).
func staticFiles() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Path
		if name == "" || name == "index.html" {
			http.NotFound(w, r)
			return
		}
		serveStatic(w, r, name)
	})
}

// serveStatic serves one embedded file, its type from its name.
func serveStatic(w http.ResponseWriter, r *http.Request, name string) {
	b, err := fs.ReadFile(static, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}
