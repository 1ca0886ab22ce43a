// Command image writes a container image of one layer, as a tarball that `ctr images import`
// reads, from files of this machine. The node's images are built here from binaries built here
// (scripts/kube-node-env.sh): no registry is reachable, and none is contacted.
//
//	image -tag <reference> -out <file.tar> [-entrypoint '["/bin/x"]'] [-cmd '[...]'] [-user 65532]
//	      [-workdir /] [-env K=V]... [-file /in/image=/on/this/machine]... [-link /in/image=target]...
//	      [-dir /in/image=1777]... [-tree /in/image=/dir/on/this/machine]...
//
// The layer is reproducible: entries sorted, owned by root, dated 1970 (the same inputs give the
// same image digest), and each parent directory is an entry of its own (mode 0755).
package main

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// pairs is a repeatable flag of DST=VALUE arguments.
type pairs map[string]string

func (p pairs) String() string { return fmt.Sprint(map[string]string(p)) }

func (p pairs) Set(arg string) error {
	dst, value, ok := strings.Cut(arg, "=")
	if !ok || !path.IsAbs(dst) || value == "" {
		return fmt.Errorf("%q is not /path/in/image=value", arg)
	}
	p[path.Clean(dst)] = value
	return nil
}

// list is a repeatable flag kept in order.
type list []string

func (l *list) String() string       { return strings.Join(*l, ",") }
func (l *list) Set(arg string) error { *l = append(*l, arg); return nil }

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
}

func run() error {
	files, links, dirs, trees := pairs{}, pairs{}, pairs{}, pairs{}
	var env list
	tag := flag.String("tag", "", "the image's reference, as containerd will list it")
	out := flag.String("out", "", "the tarball to write")
	entrypoint := flag.String("entrypoint", "", "the entrypoint, a JSON array")
	cmd := flag.String("cmd", "", "the default arguments, a JSON array")
	user := flag.String("user", "", "the user the entrypoint runs as")
	workdir := flag.String("workdir", "", "the working directory")
	flag.Var(files, "file", "DST=SRC: the file SRC of this machine at DST (its mode kept)")
	flag.Var(links, "link", "DST=TARGET: a symbolic link")
	flag.Var(dirs, "dir", "DST=MODE: a directory, octal mode")
	flag.Var(trees, "tree", "DST=SRC: the directory SRC of this machine at DST, with everything below it (modes and symbolic links kept)")
	flag.Var(&env, "env", "NAME=VALUE in the environment")
	flag.Parse()
	if *tag == "" || *out == "" || flag.NArg() > 0 {
		return errors.New("usage: image -tag <reference> -out <file> [options]; see -help")
	}
	ref, err := name.NewTag(*tag, name.StrictValidation)
	if err != nil {
		return err
	}
	for dst, src := range trees {
		if err := addTree(dst, src, files, links, dirs); err != nil {
			return err
		}
	}

	layerFile, err := os.CreateTemp(filepath.Dir(*out), ".layer-*.tar")
	if err != nil {
		return err
	}
	defer os.Remove(layerFile.Name())
	if err := writeLayer(layerFile, files, links, dirs); err != nil {
		layerFile.Close()
		return err
	}
	if err := layerFile.Close(); err != nil {
		return err
	}
	layer, err := tarball.LayerFromFile(layerFile.Name())
	if err != nil {
		return err
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		return err
	}
	config, err := img.ConfigFile()
	if err != nil {
		return err
	}
	config = config.DeepCopy()
	config.OS, config.Architecture = "linux", runtime.GOARCH
	for flagValue, field := range map[*string]*[]string{entrypoint: &config.Config.Entrypoint, cmd: &config.Config.Cmd} {
		if *flagValue != "" {
			if err := json.Unmarshal([]byte(*flagValue), field); err != nil {
				return fmt.Errorf("%q is not a JSON array of strings: %w", *flagValue, err)
			}
		}
	}
	config.Config.User, config.Config.WorkingDir, config.Config.Env = *user, *workdir, env
	if img, err = mutate.ConfigFile(img, config); err != nil {
		return err
	}
	return tarball.WriteToFile(*out, ref, img)
}

// writeLayer writes the layer's tar: the directories, files and links asked for, and every
// parent directory they need.
func writeLayer(w io.Writer, files, links, dirs pairs) error {
	epoch := time.Unix(0, 0)
	headers := map[string]*tar.Header{}
	addParents := func(p string) {
		for dir := path.Dir(p); dir != "/"; dir = path.Dir(dir) {
			if _, ok := headers[dir]; !ok {
				headers[dir] = &tar.Header{Typeflag: tar.TypeDir, Mode: 0o755}
			}
		}
	}
	for dst, mode := range dirs {
		m, err := strconv.ParseInt(mode, 8, 32)
		if err != nil {
			return fmt.Errorf("directory %s: mode %q is not octal", dst, mode)
		}
		headers[dst] = &tar.Header{Typeflag: tar.TypeDir, Mode: m}
	}
	for dst, target := range links {
		headers[dst] = &tar.Header{Typeflag: tar.TypeSymlink, Linkname: target, Mode: 0o777}
	}
	for dst, src := range files {
		info, err := os.Stat(src)
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", src)
		}
		headers[dst] = &tar.Header{Typeflag: tar.TypeReg, Mode: int64(info.Mode().Perm()), Size: info.Size()}
	}
	for p := range headers {
		addParents(p)
	}
	paths := make([]string, 0, len(headers))
	for p := range headers {
		paths = append(paths, p)
	}
	sort.Strings(paths)

	tw := tar.NewWriter(w)
	for _, p := range paths {
		h := headers[p]
		h.Name = strings.TrimPrefix(p, "/")
		if h.Typeflag == tar.TypeDir {
			h.Name += "/"
		}
		h.ModTime, h.Format = epoch, tar.FormatPAX
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if h.Typeflag == tar.TypeReg {
			if err := copyFile(tw, files[p]); err != nil {
				return err
			}
		}
	}
	return tw.Close()
}

// addTree adds SRC's directories, regular files and symbolic links below DST to the layer's
// entries (a language runtime's library, a package directory); anything else is refused.
func addTree(dst, src string, files, links, dirs pairs) error {
	return filepath.WalkDir(src, func(p string, entry os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		at := path.Join(dst, filepath.ToSlash(rel))
		info, err := entry.Info()
		if err != nil {
			return err
		}
		switch {
		case entry.IsDir():
			dirs[at] = strconv.FormatInt(int64(info.Mode().Perm()), 8)
		case entry.Type()&os.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			links[at] = target
		case info.Mode().IsRegular():
			files[at] = p
		default:
			return fmt.Errorf("%s is neither a directory, a regular file nor a symbolic link", p)
		}
		return nil
	})
}

func copyFile(w io.Writer, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
