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

    public static readonly IReadOnlyList<string> Columns = [Sku, Name, Description, Price, Stock, Category, Active];

    public static readonly IReadOnlyList<string> Required = [Name, Description, Price, Stock];
}
