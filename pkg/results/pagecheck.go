package results

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow/go/v15/parquet/metadata"
	"github.com/apache/thrift/lib/go/thrift"
)

// Arrow Go's Parquet page reader (v15) loops for ever on some corrupt
// column chunks (a page of an unknown type where it expects more values,
// e.g. when the pages hold fewer values than the metadata says). checkPages
// walks every column chunk's page headers first and refuses such files. (The
// loop: serializedPageReader.Next in parquet/file/page_reader.go skips a
// page of unknown type without reading past its body. The library's Thrift
// types are internal, so readPageHeader decodes the few fields it needs.)

// maxPageBytes bounds a page's uncompressed size, so that a corrupt header
// cannot make the reader allocate gigabytes.
const maxPageBytes = 1 << 28

// Parquet page types (parquet.thrift PageType) that the reader handles.
const (
	pageData       = 0
	pageDictionary = 2
	pageDataV2     = 3
)

// pageHeader holds the fields of a Parquet PageHeader that checkPages uses.
type pageHeader struct {
	typ, uncompressed, compressed, values int32
}

// checkPages checks that the pages of every column chunk of the file (size
// bytes, read through r) are of known types, lie inside the chunk, fill it
// exactly and hold at least the values its metadata announces.
func checkPages(r io.ReaderAt, size int64, md *metadata.FileMetaData) error {
	for g := range md.RowGroups {
		rg := md.RowGroup(g)
		for j := 0; j < rg.NumColumns(); j++ {
			col, err := rg.ColumnChunk(j)
			if err != nil {
				return fmt.Errorf("row group %d column %d: %w", g, j, err)
			}
			where := fmt.Sprintf("row group %d column %q", g, md.Schema.Column(j).Name())
			if col.CryptoMetadata() != nil {
				return fmt.Errorf("%s: encrypted, expected a plain column", where)
			}
			start := col.DataPageOffset()
			if col.HasDictionaryPage() && col.DictionaryPageOffset() > 0 && start > col.DictionaryPageOffset() {
				start = col.DictionaryPageOffset()
			}
			n := col.TotalCompressedSize()
			if start < 0 || n <= 0 || start > size || n > size-start {
				return fmt.Errorf("%s: chunk of %d bytes at byte %d lies outside the file of %d bytes", where, n, start, size)
			}
			buf := make([]byte, n)
			if _, err := r.ReadAt(buf, start); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
			var values int64
			for pos := 0; pos < len(buf); {
				h, hlen, err := readPageHeader(buf[pos:])
				if err != nil {
					return fmt.Errorf("%s: page header at byte %d: %w", where, start+int64(pos), err)
				}
				if h.compressed < 0 || h.uncompressed < 0 || h.uncompressed > maxPageBytes || h.values < 0 {
					return fmt.Errorf("%s: page at byte %d: invalid sizes (%d compressed, %d uncompressed, %d values)", where, start+int64(pos), h.compressed, h.uncompressed, h.values)
				}
				switch h.typ {
				case pageData, pageDataV2:
					values += int64(h.values)
				case pageDictionary:
				default:
					return fmt.Errorf("%s: page at byte %d: page type %d, expected a data or dictionary page", where, start+int64(pos), h.typ)
				}
				pos += hlen
				if int(h.compressed) > len(buf)-pos {
					return fmt.Errorf("%s: page at byte %d runs past the chunk's end", where, start+int64(pos))
				}
				pos += int(h.compressed)
			}
			if values < col.NumValues() {
				return fmt.Errorf("%s: pages hold %d values, metadata says %d", where, values, col.NumValues())
			}
		}
	}
	return nil
}

// readPageHeader decodes the Thrift (compact protocol) PageHeader at the
// start of b and returns it with its length in bytes.
func readPageHeader(b []byte) (pageHeader, int, error) {
	var h pageHeader
	ctx := context.Background()
	buf := &thrift.TMemoryBuffer{Buffer: bytes.NewBuffer(b)}
	p := thrift.NewTCompactProtocolConf(buf, &thrift.TConfiguration{MaxMessageSize: int32(min(len(b), 1<<30))})
	if _, err := p.ReadStructBegin(ctx); err != nil {
		return h, 0, err
	}
	var seen uint8 // bit id-1 for the required fields 1 to 3
	for {
		_, typ, id, err := p.ReadFieldBegin(ctx)
		if err != nil {
			return h, 0, err
		}
		if typ == thrift.STOP {
			break
		}
		switch {
		case id >= 1 && id <= 3 && typ == thrift.I32:
			v, err := p.ReadI32(ctx)
			if err != nil {
				return h, 0, err
			}
			switch id {
			case 1:
				h.typ = v
			case 2:
				h.uncompressed = v
			case 3:
				h.compressed = v
			}
		case (id == 5 || id == 8) && typ == thrift.STRUCT:
			// DataPageHeader and DataPageHeaderV2 both start with
			// num_values (field 1, i32).
			v, err := readFirstI32(ctx, p)
			if err != nil {
				return h, 0, err
			}
			h.values = v
		default:
			if err := p.Skip(ctx, typ); err != nil {
				return h, 0, err
			}
		}
		if id >= 1 && id <= 3 {
			seen |= 1 << (id - 1)
		}
		if err := p.ReadFieldEnd(ctx); err != nil {
			return h, 0, err
		}
	}
	if err := p.ReadStructEnd(ctx); err != nil {
		return h, 0, err
	}
	for id := 1; id <= 3; id++ {
		if seen&(1<<(id-1)) == 0 {
			return h, 0, fmt.Errorf("required field %d missing", id)
		}
	}
	return h, len(b) - int(buf.RemainingBytes()), nil
}

// readFirstI32 reads a struct and returns its field 1 (i32).
func readFirstI32(ctx context.Context, p *thrift.TCompactProtocol) (int32, error) {
	var v int32
	if _, err := p.ReadStructBegin(ctx); err != nil {
		return 0, err
	}
	for {
		_, typ, id, err := p.ReadFieldBegin(ctx)
		if err != nil {
			return 0, err
		}
		if typ == thrift.STOP {
			break
		}
		if id == 1 && typ == thrift.I32 {
			if v, err = p.ReadI32(ctx); err != nil {
				return 0, err
			}
		} else if err := p.Skip(ctx, typ); err != nil {
			return 0, err
		}
		if err := p.ReadFieldEnd(ctx); err != nil {
			return 0, err
		}
	}
	return v, p.ReadStructEnd(ctx)
}
