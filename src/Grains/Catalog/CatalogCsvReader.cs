using System.Globalization;
using System.Text;
using AgenteVendedor.Catalog;
using CsvHelper;
using AgenteVendedor.Text;
using CsvHelper.Configuration;

namespace AgenteVendedor.Catalog;

/// <summary>
/// Reads the catalog CSV format of API.md: header required, columns by name (case and accents
/// ignored), delimiter , ; or tab detected, RFC 4180 quoting. Turns every row it can read into an
/// <see cref="ImportRow"/> and every row it cannot into an error; the product rules are <see cref="CatalogRules"/>.
/// </summary>
public static class CatalogCsvReader
{
    private const string Sku = CatalogCsv.Sku;
    private const string Name = CatalogCsv.Name;
    private const string Description = CatalogCsv.Description;
    private const string Price = CatalogCsv.Price;
    private const string Stock = CatalogCsv.Stock;
    private const string Active = CatalogCsv.Active;
    private const string Category = CatalogCsv.Category;
    private const string Keywords = CatalogCsv.Keywords;
    private const string Image = CatalogCsv.Image;

    // A header name as MapHeader compares it: folded, without spaces or underscores ("Palabras clave" = "palabras_clave").
    private static readonly Dictionary<string, string> ColumnsByKey = CatalogCsv.Columns.ToDictionary(HeaderKey, c => c, StringComparer.Ordinal);

    public sealed record Result(List<ImportRow> Rows, List<ImportError> Errors, bool HasSku);

    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    /// <summary>Reads an uploaded file: UTF-8 (with or without BOM) or, when it is not valid UTF-8, Windows-1252.</summary>
    public static Result Read(byte[] file, CultureInfo culture)
    {
        if (!LooksLikeText(file))
        {
            return new Result([], [new ImportError(1, null,
                "El archivo no es un CSV de texto en UTF-8 ni en Windows-1252. Si es un libro de Excel, guárdalo como 'CSV UTF-8 (delimitado por comas)'.")], false);
        }

        var encoding = System.Text.Unicode.Utf8.IsValid(file) ? Encoding.UTF8 : Windows1252;
        using var text = new StreamReader(new MemoryStream(file, writable: false), encoding, detectEncodingFromByteOrderMarks: false, 65536);
        return Read(text, culture);
    }

    // UTF-16 (BOM FF FE / FE FF), an .xlsx (a zip: "PK\x03\x04") or anything with NUL bytes is no CSV we read.
    private static bool LooksLikeText(byte[] file) =>
        !(file.Length >= 2 && ((file[0] == 0xFF && file[1] == 0xFE) || (file[0] == 0xFE && file[1] == 0xFF)))
        && !(file.Length >= 4 && file[0] == (byte)'P' && file[1] == (byte)'K' && file[2] == 3 && file[3] == 4)
        && !file.AsSpan().Contains((byte)0);

    public static Result Read(TextReader text, CultureInfo culture)
    {
        var rows = new List<ImportRow>();
        var errors = new List<ImportError>();
        var firstLine = text.ReadLine();
        if (string.IsNullOrWhiteSpace(firstLine))
        {
            errors.Add(new ImportError(1, null, "El archivo está vacío: la primera fila debe ser el encabezado (nombre, descripcion, precio, stock…)."));
            return new Result(rows, errors, false);
        }

        var delimiter = DetectDelimiter(firstLine);
        var columns = MapHeader(SplitHeader(firstLine, delimiter), errors);
        if (errors.Count > 0)
        {
            return new Result(rows, errors, false);
        }

        var badData = new HashSet<int>();
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            HasHeaderRecord = false,
            IgnoreBlankLines = false,
            DetectColumnCountChanges = false,
            MissingFieldFound = null,
            BadDataFound = args => badData.Add(args.Context.Parser!.Row + 1),
        };
        var numbers = new NumberReader(culture);
        using var csv = new CsvReader(text, config);
        while (csv.Read())
        {
            var rowNumber = csv.Parser.Row + 1; // the header line was read before CsvHelper saw the file
            var fields = csv.Parser.Record ?? [];
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (badData.Contains(rowNumber))
            {
                errors.Add(new ImportError(rowNumber, null, "La fila tiene comillas mal cerradas: un texto con comas o comillas debe ir entre comillas dobles, y una comilla dentro del texto se escribe \"\"."));
                continue;
            }

            if (fields.Length != columns.Count)
            {
                errors.Add(new ImportError(rowNumber, null,
                    $"La fila tiene {fields.Length} columnas y el encabezado tiene {columns.Count}. Revisa separadores o comillas."));
                continue;
            }

            if (ReadRow(rowNumber, fields, columns, numbers, errors) is { } row)
            {
                rows.Add(row);
            }
        }

        if (rows.Count == 0 && errors.Count == 0)
        {
            errors.Add(new ImportError(2, null, "El archivo no tiene filas de productos debajo del encabezado."));
        }

        return new Result(rows, errors, columns.ContainsKey(Sku));
    }

    private static ImportRow? ReadRow(int row, string[] fields, Dictionary<string, int> columns, NumberReader numbers, List<ImportError> errors)
    {
        string? Field(string column) => columns.TryGetValue(column, out var i) ? fields[i] : null;
        // Text the export wrote behind a ' (a spreadsheet would run it as a formula) comes back as it was.
        string? Text(string column) => Field(column) is { } text ? SpreadsheetText.Unprotect(text) : null;
        var before = errors.Count;

        var priceText = Field(Price);
        if (!numbers.TryRead(priceText, out var price))
        {
            errors.Add(new ImportError(row, Price, string.IsNullOrWhiteSpace(priceText)
                ? "Falta el precio."
                : $"'{priceText}' no es un precio válido. Escríbelo como 189900, 189900.50 o 189.900,50."));
        }

        var stockText = Field(Stock);
        long stock = 0;
        if (!numbers.TryRead(stockText, out var stockValue))
        {
            errors.Add(new ImportError(row, Stock, string.IsNullOrWhiteSpace(stockText)
                ? "Falta el stock."
                : $"'{stockText}' no es una cantidad válida."));
        }
        else if (decimal.Truncate(stockValue) != stockValue || Math.Abs(stockValue) > long.MaxValue / 2)
        {
            errors.Add(new ImportError(row, Stock, $"El stock debe ser un número entero de unidades ('{stockText}')."));
        }
        else
        {
            stock = (long)stockValue;
        }

        bool? active = null;
        var activeText = Field(Active);
        if (!string.IsNullOrWhiteSpace(activeText))
        {
            active = ParseYesNo(activeText);
            if (active is null)
            {
                errors.Add(new ImportError(row, Active, $"'{activeText}' no es válido para activo: usa si/no, true/false o 1/0."));
            }
        }

        // A file without the column leaves keywords as they are; an empty cell clears them.
        var keywords = Text(Keywords) is { } cell ? CatalogRules.SplitKeywords(cell).ToArray() : null;

        // Likewise for the image: no column keeps it, an empty cell removes it.
        var image = Text(Image);

        return errors.Count > before
            ? null
            : new ImportRow(row, Text(Sku), Text(Name) ?? string.Empty, Text(Description) ?? string.Empty, price, stock, Text(Category), active, keywords, image);
    }

    private static bool? ParseYesNo(string text) => Fold(text) switch
    {
        "si" or "s" or "true" or "1" or "verdadero" or "activo" or "x" => true,
        "no" or "n" or "false" or "0" or "falso" or "inactivo" => false,
        _ => null,
    };

    /// <summary>The delimiter that splits the header into the most fields, outside quotes.</summary>
    private static char DetectDelimiter(string header)
    {
        var counts = new Dictionary<char, int> { [','] = 0, [';'] = 0, ['\t'] = 0 };
        var quoted = false;
        foreach (var c in header)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && counts.ContainsKey(c))
            {
                counts[c]++;
            }
        }

        return counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key == ',' ? 0 : 1).First().Key;
    }

    private static List<string> SplitHeader(string header, char delimiter)
    {
        using var reader = new StringReader(header);
        using var csv = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter.ToString() });
        return csv.Read() ? csv.Record!.ToList() : [];
    }

    private static Dictionary<string, int> MapHeader(List<string> header, List<ImportError> errors)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            if (!ColumnsByKey.TryGetValue(HeaderKey(header[i]), out var name))
            {
                continue; // Extra columns (notes, photos…) are allowed and ignored.
            }

            if (!columns.TryAdd(name, i))
            {
                errors.Add(new ImportError(1, name, $"La columna '{name}' aparece dos veces en el encabezado."));
            }
        }

        foreach (var missing in CatalogCsv.Required.Where(c => !columns.ContainsKey(c)))
        {
            errors.Add(new ImportError(1, missing, $"Falta la columna obligatoria '{missing}' en el encabezado."));
        }

        return columns;
    }

    private static string HeaderKey(string name) =>
        Fold(name).Replace(" ", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);

    // A BOM that survived decoding sticks to the first header name.
    private static string Fold(string value) => SpanishText.Fold(value.Trim('\uFEFF'));
}

/// <summary>One data row of an import file, numbered as a spreadsheet shows it (header = 1).</summary>
/// <param name="Keywords">The cell split on | or ;, not yet checked; null when the file has no palabras_clave column.</param>
/// <param name="Image">The imagen cell, not yet checked; null when the file has no imagen column.</param>
public sealed record ImportRow(
    int Row, string? Sku, string Name, string Description, decimal Price, long Stock, string? Category, bool? Active,
    string[]? Keywords = null, string? Image = null);
