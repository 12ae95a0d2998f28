using System.Text;

namespace AgenteVendedor.Api.Csv;

/// <summary>
/// An uploaded CSV spooled to a temporary file (deleted on dispose), so it is read from disk twice
/// at most — once to tell its encoding, once to parse — and never held whole in memory.
/// </summary>
public sealed class CsvUpload : IAsyncDisposable
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static CsvUpload() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private readonly FileStream _file;

    private CsvUpload(FileStream file, long length)
    {
        _file = file;
        Length = length;
    }

    public long Length { get; }

    /// <summary>Copies the body to disk; null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<CsvUpload?> SpoolAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                await file.DisposeAsync();
                return null;
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        await file.FlushAsync(cancellationToken);
        return new CsvUpload(file, total);
    }

    /// <summary>
    /// UTF-8 (with or without BOM) when every byte sequence is valid UTF-8, else Windows-1252 as
    /// Spanish Excel saves it. Null for what is not a text file in either (UTF-16, a spreadsheet, binary).
    /// </summary>
    public Encoding? DetectEncoding()
    {
        _file.Position = 0;
        Span<byte> head = stackalloc byte[4];
        var headLength = _file.Read(head);
        if ((headLength >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
            || (headLength >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4))
        {
            return null;
        }

        _file.Position = 0;
        var decoder = StrictUtf8.GetDecoder();
        var bytes = new byte[81920];
        var chars = new char[StrictUtf8.GetMaxCharCount(bytes.Length)];
        var isUtf8 = true;
        int read;
        while ((read = _file.Read(bytes, 0, bytes.Length)) > 0)
        {
            if (bytes.AsSpan(0, read).Contains((byte)0))
            {
                return null;
            }

            if (isUtf8)
            {
                try
                {
                    decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                }
                catch (DecoderFallbackException)
                {
                    isUtf8 = false;
                }
            }
        }

        return isUtf8 ? Encoding.UTF8 : Encoding.GetEncoding(1252);
    }

    public StreamReader OpenText(Encoding encoding)
    {
        _file.Position = 0;
        return new StreamReader(_file, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 65536, leaveOpen: true);
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
