using AgenteVendedor.Text;

namespace AgenteVendedor.Catalog;

/// <summary>
/// What an import would do to the catalog: every row checked, matched to a product by sku (or
/// by normalised name when the file has no sku column), and sorted into created, updated,
/// unchanged and — in replace mode — deactivated. Nothing is written here.
/// </summary>
public sealed class CatalogImportPlan
{
    private CatalogImportPlan(ImportMode mode, int rows)
    {
        Mode = mode;
        Rows = rows;
    }

    public ImportMode Mode { get; }

    public int Rows { get; }

    public List<ImportError> Errors { get; } = [];

    public List<Product> Created { get; } = [];

    public List<Product> Updated { get; } = [];

    public List<Guid> Deactivated { get; } = [];

    public int Unchanged { get; private set; }

    public ImportSummary Summary => new(Mode, Rows, Created.Count, Updated.Count, Deactivated.Count, Unchanged);

    public static CatalogImportPlan Build(
        ImportMode mode, bool keyBySku, IReadOnlyList<ImportRow> rows, IEnumerable<Product> existing, IReadOnlyDictionary<string, Guid> bySku)
    {
        var plan = new CatalogImportPlan(mode, rows.Count);
        var products = existing.ToDictionary(p => p.Id);
        var byName = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var p in products.Values.OrderBy(p => p.CreatedAt))
        {
            byName.TryAdd(CatalogRules.NameKey(p.Name), p.Id);
        }

        var seen = new Dictionary<string, int>(keyBySku ? CatalogRules.SkuComparer : StringComparer.Ordinal);
        var matched = new HashSet<Guid>();
        var newSkus = new HashSet<string>(CatalogRules.SkuComparer);
        foreach (var row in rows)
        {
            // A repeated key is an error even when the first occurrence has errors of its own.
            var key = keyBySku ? (row.Sku is null ? null : CatalogRules.NormalizeSku(row.Sku)) : CatalogRules.NameKey(row.Name);
            var repeated = false;
            if (!string.IsNullOrEmpty(key))
            {
                if (seen.TryGetValue(key, out var firstRow))
                {
                    plan.Errors.Add(new ImportError(row.Row, keyBySku ? "sku" : "nombre",
                        $"'{(keyBySku ? key : row.Name.Trim())}' ya aparece en la fila {firstRow}: cada producto va una sola vez."));
                    repeated = true;
                }
                else
                {
                    seen[key] = row.Row;
                }
            }

            if (!plan.Check(row, keyBySku, out var keywords, out var image) || repeated || key is null)
            {
                continue;
            }
            Guid id;
            var found = keyBySku ? bySku.TryGetValue(key, out id) : byName.TryGetValue(key, out id);
            if (found)
            {
                matched.Add(id);
                var current = products[id];
                var next = current with
                {
                    Sku = keyBySku ? key : current.Sku,
                    Name = row.Name.Trim(),
                    Description = row.Description.Trim(),
                    Price = CatalogRules.Money(row.Price),
                    Stock = (int)row.Stock,
                    Category = CatalogRules.CategoryOrDefault(row.Category),
                    Active = row.Active ?? true,
                    Keywords = keywords ?? current.Keywords,
                    ImageUrl = row.Image is null ? current.ImageUrl : image,
                };
                if (next == current)
                {
                    plan.Unchanged++;
                }
                else
                {
                    plan.Updated.Add(next);
                }
            }
            else
            {
                var sku = keyBySku
                    ? key
                    : CatalogRules.GenerateSku(row.Name, s => bySku.ContainsKey(s) || newSkus.Contains(s));
                newSkus.Add(sku);
                plan.Created.Add(new Product(Guid.CreateVersion7(), sku, row.Name.Trim(), row.Description.Trim(), CatalogRules.Money(row.Price),
                    (int)row.Stock, CatalogRules.CategoryOrDefault(row.Category), row.Active ?? true, default, default, keywords ?? [], image));
            }
        }

        if (mode == ImportMode.Replace)
        {
            // Products already inactive with no stock are left as they are and not counted.
            plan.Deactivated.AddRange(products.Values
                .Where(p => !matched.Contains(p.Id) && (p.Active || p.Stock != 0))
                .Select(p => p.Id));
        }

        plan.Errors.Sort((a, b) => a.Row.CompareTo(b.Row));
        return plan;
    }

    /// <param name="keywords">The row's keywords normalised, or null when the file has no keywords column.</param>
    /// <param name="image">The row's image URL checked, or null when the cell is empty or the file has no imagen column.</param>
    private bool Check(ImportRow row, bool keyBySku, out string[]? keywords, out string? image)
    {
        var before = Errors.Count;
        if (keyBySku && string.IsNullOrWhiteSpace(row.Sku))
        {
            Errors.Add(new ImportError(row.Row, "sku", "Falta el sku: el archivo tiene columna sku, así que cada fila debe traerlo."));
        }

        var problems = CatalogRules.Check(keyBySku && !string.IsNullOrWhiteSpace(row.Sku) ? row.Sku : null,
            row.Name, row.Description, row.Price, row.Stock, row.Category);
        keywords = row.Keywords is null ? null : CatalogRules.Keywords(row.Keywords, problems);
        image = CatalogRules.ImageUrl(row.Image, problems, CatalogCsv.Image);
        Errors.AddRange(problems.Select(p => new ImportError(row.Row, p.Field, p.Message)));

        return Errors.Count == before;
    }
}
