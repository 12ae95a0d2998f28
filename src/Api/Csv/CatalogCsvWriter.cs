using System.Globalization;
using System.Text;
using AgenteVendedor.Catalog;
using CsvHelper;
using CsvHelper.Configuration;

namespace AgenteVendedor.Api.Csv;

/// <summary>Writes the catalog in the import format, so an export re-imports as a no-op; text that a spreadsheet would run as a formula is written behind a '.</summary>
public sealed class CatalogCsvWriter : IAsyncDisposable
{
    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;

    public CatalogCsvWriter(Stream output)
    {
        // UTF-8 with BOM: Excel in Spanish then shows accents right.
        _text = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 65536, leaveOpen: true);
        _csv = new CsvWriter(_text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n" });
        foreach (var column in CatalogCsv.Columns)
        {
            _csv.WriteField(column);
        }

        _csv.NextRecord();
    }

    public async Task WriteAsync(IEnumerable<Product> products)
    {
        foreach (var p in products)
        {
            _csv.WriteField(SpreadsheetText.Protect(p.Sku));
            _csv.WriteField(SpreadsheetText.Protect(p.Name));
            _csv.WriteField(SpreadsheetText.Protect(p.Description));
            _csv.WriteField(p.Price.ToString("0.##", CultureInfo.InvariantCulture));
            _csv.WriteField(p.Stock.ToString(CultureInfo.InvariantCulture));
            _csv.WriteField(SpreadsheetText.Protect(p.Category));
            _csv.WriteField(p.Active ? "si" : "no");
            _csv.WriteField(SpreadsheetText.Protect(string.Join('|', p.Keywords)));
            _csv.WriteField(p.ImageUrl ?? string.Empty);
            _csv.NextRecord();
        }

        await _csv.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _csv.DisposeAsync();
        await _text.DisposeAsync();
    }
}
