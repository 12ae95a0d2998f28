namespace AgenteVendedor.Catalog;

/// <summary>The catalog CSV columns of API.md, as import reads them and export writes them.</summary>
public static class CatalogCsv
{
    public const string Sku = "sku";
    public const string Name = "nombre";
    public const string Description = "descripcion";
    public const string Price = "precio";
    public const string Stock = "stock";
    public const string Category = "categoria";
    public const string Active = "activo";
    public const string Keywords = "palabras_clave";
    public const string Image = "imagen";

    public static readonly IReadOnlyList<string> Columns = [Sku, Name, Description, Price, Stock, Category, Active, Keywords, Image];

    public static readonly IReadOnlyList<string> Required = [Name, Description, Price, Stock];
}

/// <summary>
/// Text a spreadsheet would run as a formula (OWASP "CSV injection"): a cell starting with =, +, @,
/// a tab, a carriage return, or a - that does not begin a number. Exports write such text behind
/// a ' (spreadsheets then show it as plain text) and the import takes that ' away again, so an
/// export re-imports unchanged. Text that already starts with ' gets one more, to round-trip too.
/// </summary>
public static class SpreadsheetText
{
    private const char Quote = '\'';

    public static string Protect(string value) => NeedsQuote(value) ? Quote + value : value;

    public static string Unprotect(string value) =>
        value.Length > 1 && value[0] == Quote && NeedsQuote(value[1..]) ? value[1..] : value;

    private static bool NeedsQuote(string value) => value.TrimStart(Quote) is { Length: > 0 } text && text[0] switch
    {
        '=' or '+' or '@' or '\t' or '\r' => true,
        '-' => !decimal.TryParse(text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _),
        _ => false,
    };
}
