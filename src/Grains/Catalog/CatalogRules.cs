using System.Text;
using AgenteVendedor.Common;
using AgenteVendedor.Text;

namespace AgenteVendedor.Catalog;

/// <summary>The product rules of API.md, in one place for the CRUD routes and the CSV import.</summary>
public static class CatalogRules
{
    public const int MaxName = 200;
    public const int MaxDescription = 2000;
    public const int MaxSku = 64;
    public const int MaxCategory = 100;
    public const decimal MaxPrice = 999_999_999_999.99m;
    public const int MaxKeyword = 60;
    public const int MaxKeywords = 30;
    public const string KeywordsField = "palabras_clave";
    public const int MaxImageUrl = 2000;
    public const string ImageUrlField = "imagen_url";

    // The CSV import splits a cell on these, so a keyword holding one would not survive an export.
    private static readonly char[] KeywordSeparators = ['|', ';'];

    /// <summary>Checks one product's values; each problem is reported under the contract's field name.</summary>
    public static List<FieldError> Check(string? sku, string name, string description, decimal price, long stock, string? category)
    {
        var errors = new List<FieldError>();
        if (sku is not null && NormalizeSku(sku).Length is 0 or > MaxSku)
        {
            errors.Add(new FieldError("sku", $"El sku debe tener entre 1 y {MaxSku} caracteres."));
        }

        if (name.Trim().Length is 0 or > MaxName)
        {
            errors.Add(new FieldError("nombre", $"El nombre es obligatorio y tiene como máximo {MaxName} caracteres."));
        }

        if (description.Length > MaxDescription)
        {
            errors.Add(new FieldError("descripcion", $"La descripción tiene como máximo {MaxDescription} caracteres."));
        }

        if (price <= 0)
        {
            errors.Add(new FieldError("precio", "El precio debe ser mayor que cero."));
        }
        else if (price > MaxPrice)
        {
            errors.Add(new FieldError("precio", "El precio es demasiado grande."));
        }
        else if (decimal.Round(price, 2) != price)
        {
            errors.Add(new FieldError("precio", "El precio admite como máximo 2 decimales."));
        }

        if (stock < 0)
        {
            errors.Add(new FieldError("stock", "El stock no puede ser negativo."));
        }
        else if (stock > int.MaxValue)
        {
            errors.Add(new FieldError("stock", "El stock es demasiado grande."));
        }

        if (category is not null && category.Trim().Length > MaxCategory)
        {
            errors.Add(new FieldError("categoria", $"La categoría tiene como máximo {MaxCategory} caracteres."));
        }

        return errors;
    }

    /// <summary>
    /// A product's keywords as they are stored: each trimmed, empty ones dropped, repeats (ignoring
    /// case) dropped after the first. A keyword longer than <see cref="MaxKeyword"/>, one holding a
    /// | or ;, or more than <see cref="MaxKeywords"/> left is an error under palabras_clave.
    /// </summary>
    public static string[] Keywords(IEnumerable<string?>? values, List<FieldError> errors)
    {
        var kept = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var before = errors.Count;
        foreach (var value in values ?? [])
        {
            var keyword = value?.Trim();
            if (string.IsNullOrEmpty(keyword))
            {
                continue;
            }

            if (keyword.Length > MaxKeyword)
            {
                errors.Add(new FieldError(KeywordsField, $"Cada palabra clave tiene como máximo {MaxKeyword} caracteres ('{keyword[..20]}…')."));
            }
            else if (keyword.IndexOfAny(KeywordSeparators) >= 0)
            {
                errors.Add(new FieldError(KeywordsField, $"Una palabra clave no puede contener | ni ; ('{keyword}'): sepáralas en la lista."));
            }
            else if (seen.Add(keyword))
            {
                kept.Add(keyword);
            }

            if (errors.Count - before >= 5)
            {
                break; // A list of thousands of bad words is reported, not echoed back in full.
            }
        }

        if (kept.Count > MaxKeywords)
        {
            errors.Add(new FieldError(KeywordsField, $"Un producto tiene como máximo {MaxKeywords} palabras clave."));
        }

        return kept.ToArray();
    }

    /// <summary>
    /// A product's image URL as it is stored: trimmed, null when empty. It must be an absolute
    /// http or https URL with a host, at most <see cref="MaxImageUrl"/> characters, without spaces or
    /// control characters (WhatsApp and Telegram fetch it as given); otherwise an error under imagen_url.
    /// </summary>
    public static string? ImageUrl(string? value, List<FieldError> errors, string field = ImageUrlField)
    {
        var url = value?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            return null;
        }

        if (url.Length > MaxImageUrl)
        {
            errors.Add(new FieldError(field, $"La URL de la imagen tiene como máximo {MaxImageUrl} caracteres."));
        }
        else if (url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add(new FieldError(field, "La URL de la imagen no puede contener espacios ni caracteres de control."));
        }
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host)
            || !url.StartsWith(uri.Scheme + "://", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new FieldError(field, $"'{Cut(url)}' no es una URL de imagen válida: escribe una dirección completa que empiece por https:// o http://."));
        }
        else
        {
            return url;
        }

        return null;
    }

    private static string Cut(string text) => text.Length <= 80 ? text : text[..80] + "…";

    /// <summary>One CSV cell of keywords: separated by | (or ;).</summary>
    public static IEnumerable<string> SplitKeywords(string cell) => cell.Split(KeywordSeparators);

    /// <summary>
    /// A SKU as it is stored and compared: trimmed, in Unicode NFKC, so a Kelvin sign (U+212A) or a
    /// full-width Ｋ is the letter K.
    /// </summary>
    public static string NormalizeSku(string sku) => sku.Trim().Normalize(NormalizationForm.FormKC);

    /// <summary>
    /// Two SKUs are the same when they differ only in the case of ASCII letters: exactly what the
    /// unique index products_tenant_sku computes with lower(sku COLLATE "C") (sql/0070), so the
    /// import's check and PostgreSQL never disagree.
    /// </summary>
    public static readonly IEqualityComparer<string> SkuComparer = new AsciiCaseInsensitiveComparer();

    private sealed class AsciiCaseInsensitiveComparer : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y)
        {
            if (ReferenceEquals(x, y))
            {
                return true;
            }

            if (x is null || y is null || x.Length != y.Length)
            {
                return false;
            }

            for (var i = 0; i < x.Length; i++)
            {
                if (Fold(x[i]) != Fold(y[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public int GetHashCode(string value)
        {
            var hash = new HashCode();
            foreach (var c in value)
            {
                hash.Add(Fold(c));
            }

            return hash.ToHashCode();
        }

        private static char Fold(char c) => char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
    }

    /// <summary>Money always carries two decimals (189900 → 189900.00), as numeric(14,2) returns it.</summary>
    public static decimal Money(decimal amount) => decimal.Round(amount, 2) + 0.00m;

    public static string CategoryOrDefault(string? category) =>
        string.IsNullOrWhiteSpace(category) ? CatalogDefaults.Category : category.Trim();

    /// <summary>The key a row is matched by when the file has no sku column.</summary>
    public static string NameKey(string name) => SpanishText.Fold(name);

    /// <summary>"Taladro percutor 650W" → "TALADRO-PERCUTOR-650W", made unique with -2, -3, … as needed.</summary>
    public static string GenerateSku(string name, Func<string, bool> isTaken)
    {
        var folded = SpanishText.Fold(name).ToUpperInvariant();
        var builder = new StringBuilder();
        foreach (var c in folded)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var stem = builder.ToString().Trim('-');
        stem = stem.Length == 0 ? "PRODUCTO" : stem[..Math.Min(stem.Length, MaxSku - 8)].TrimEnd('-');
        var candidate = stem;
        for (var n = 2; isTaken(candidate); n++)
        {
            candidate = $"{stem}-{n}";
        }

        return candidate;
    }
}
