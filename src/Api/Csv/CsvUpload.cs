namespace AgenteVendedor.Api.Csv;

/// <summary>Reads an uploaded file into one array, refusing it as soon as it passes the size limit.</summary>
public static class CsvUpload
{
    /// <summary>The file's bytes, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(Stream body, long? declaredLength, long maxBytes, CancellationToken cancellationToken)
    {
        if (declaredLength > maxBytes)
        {
            return null;
        }

        if (declaredLength is { } length)
        {
            // The usual case: the size is known, so the file lands in one array with no intermediate copy.
            var file = new byte[length];
            await body.ReadExactlyAsync(file, cancellationToken);
            return file;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
