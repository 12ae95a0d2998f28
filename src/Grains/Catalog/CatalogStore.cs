using AgenteVendedor.Audit;
using AgenteVendedor.Common;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace AgenteVendedor.Catalog;

public sealed class CatalogStore(NpgsqlDataSource database)
{
    private const string ProductColumns = """
        id AS Id, sku AS Sku, name AS Name, description AS Description, price AS Price, stock AS Stock,
        category AS Category, active AS Active, created_at AS CreatedAt, updated_at AS UpdatedAt, keywords AS Keywords,
        image_url AS ImageUrl
        """;

    // Npgsql reports a text[] column as System.Array, which no record constructor matches: Dapper fills properties instead.
    private sealed class ProductRow
    {
        public Guid Id { get; init; }
        public string Sku { get; init; } = "";
        public string Name { get; init; } = "";
        public string Description { get; init; } = "";
        public decimal Price { get; init; }
        public int Stock { get; init; }
        public string Category { get; init; } = "";
        public bool Active { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
        public string[] Keywords { get; init; } = [];
        public string? ImageUrl { get; init; }

        public Product ToProduct() => new(Id, Sku, Name, Description, Price, Stock, Category, Active, CreatedAt, UpdatedAt, Keywords, ImageUrl);
    }

    private const string TenantExistsSql = "SELECT EXISTS (SELECT 1 FROM tenants WHERE id = @TenantId)";

    private const string LoadSql = $"SELECT {ProductColumns} FROM products WHERE tenant_id = @TenantId";

    public async Task<(bool Exists, List<Product> Products)> LoadAsync(Guid tenantId)
    {
        await using var connection = await database.OpenConnectionAsync();
        if (!await connection.ExecuteScalarAsync<bool>(TenantExistsSql, new { TenantId = tenantId }))
        {
            return (false, []);
        }

        return (true, (await connection.QueryAsync<ProductRow>(LoadSql, new { TenantId = tenantId })).Select(r => r.ToProduct()).ToList());
    }

    private const string CultureSql = "SELECT culture FROM tenants WHERE id = @TenantId";

    /// <summary>Read at import time, so a culture changed through PUT /empresa applies at once.</summary>
    public async Task<string> CultureAsync(Guid tenantId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>(CultureSql, new { TenantId = tenantId }) ?? "es-CO";
    }

    private const string InsertSql = $"""
        INSERT INTO products (id, tenant_id, sku, name, description, price, stock, category, active, keywords, image_url)
        VALUES (@Id, @TenantId, @Sku, @Name, @Description, @Price, @Stock, @Category, @Active, @Keywords, @ImageUrl)
        RETURNING {ProductColumns}
        """;

    private const string UpdateSql = $"""
        UPDATE products
           SET sku = @Sku, name = @Name, description = @Description, price = @Price, stock = @Stock,
               category = @Category, active = @Active, keywords = @Keywords, image_url = @ImageUrl, updated_at = now()
         WHERE id = @Id AND tenant_id = @TenantId
        RETURNING {ProductColumns}
        """;

    /// <summary>Inserts (when <paramref name="before"/> is null) or replaces a product, with its audit row; keywords and the image URL come checked and normalised.</summary>
    public async Task<Product> SaveAsync(Guid tenantId, Actor actor, Product? before, Guid id, string sku, ProductInput input, string[] keywords, string? imageUrl)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var saved = (await connection.QuerySingleAsync<ProductRow>(before is null ? InsertSql : UpdateSql, new
        {
            Id = id,
            TenantId = tenantId,
            Sku = sku,
            Name = input.Name.Trim(),
            Description = input.Description.Trim(),
            input.Price,
            input.Stock,
            Category = CatalogRules.CategoryOrDefault(input.Category),
            input.Active,
            Keywords = keywords,
            ImageUrl = imageUrl,
        }, transaction)).ToProduct();
        await AuditWriter.WriteAsync(transaction, tenantId, actor.UserId, "producto", id.ToString(),
            before is null ? "crear" : "actualizar",
            before is null ? Describe(saved) : new { antes = Describe(before), despues = Describe(saved) });
        await transaction.CommitAsync();
        return saved;
    }

    private const string DeactivateSql = $"""
        UPDATE products SET active = false, updated_at = now()
         WHERE id = @Id AND tenant_id = @TenantId
        RETURNING {ProductColumns}
        """;

    public async Task<Product> DeactivateAsync(Guid tenantId, Actor actor, Guid id)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var saved = (await connection.QuerySingleAsync<ProductRow>(DeactivateSql, new { Id = id, TenantId = tenantId }, transaction)).ToProduct();
        await AuditWriter.WriteAsync(transaction, tenantId, actor.UserId, "producto", id.ToString(), "desactivar",
            new { sku = saved.Sku, nombre = saved.Name });
        await transaction.CommitAsync();
        return saved;
    }

    private const string CreateUpdatesTableSql = """
        CREATE TEMP TABLE import_updates (
            id uuid PRIMARY KEY, sku varchar(64), name varchar(200), description varchar(2000),
            price numeric(14,2), stock integer, category varchar(100), active boolean, keywords text[],
            image_url varchar(2000)) ON COMMIT DROP
        """;

    private const string ApplyUpdatesSql = """
        UPDATE products p
           SET sku = u.sku, name = u.name, description = u.description, price = u.price, stock = u.stock,
               category = u.category, active = u.active, keywords = u.keywords,
               image_url = u.image_url, updated_at = @Now
          FROM import_updates u
         WHERE p.id = u.id AND p.tenant_id = @TenantId
        """;

    private const string DeactivateManySql = """
        UPDATE products SET active = false, stock = 0, updated_at = @Now
         WHERE tenant_id = @TenantId AND id = ANY(@Ids)
        """;

    /// <summary>Writes an import's changes in one transaction: new rows and updates by COPY, then the deactivations.</summary>
    public async Task ApplyImportAsync(
        Guid tenantId, Actor actor, DateTime now, IReadOnlyList<Product> created, IReadOnlyList<Product> updated,
        IReadOnlyList<Guid> deactivated, ImportSummary summary)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (created.Count > 0)
        {
            await using var writer = await connection.BeginBinaryImportAsync(
                "COPY products (id, tenant_id, sku, name, description, price, stock, category, active, keywords, image_url, created_at, updated_at) FROM STDIN (FORMAT BINARY)");
            foreach (var p in created)
            {
                writer.StartRow();
                writer.Write(p.Id, NpgsqlDbType.Uuid);
                writer.Write(tenantId, NpgsqlDbType.Uuid);
                WriteFields(writer, p);
                writer.Write(now, NpgsqlDbType.TimestampTz);
                writer.Write(now, NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        if (updated.Count > 0)
        {
            await connection.ExecuteAsync(CreateUpdatesTableSql, transaction: transaction);
            await using (var writer = await connection.BeginBinaryImportAsync(
                "COPY import_updates (id, sku, name, description, price, stock, category, active, keywords, image_url) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var p in updated)
                {
                    writer.StartRow();
                    writer.Write(p.Id, NpgsqlDbType.Uuid);
                    WriteFields(writer, p);
                }

                await writer.CompleteAsync();
            }

            await connection.ExecuteAsync(ApplyUpdatesSql, new { Now = now, TenantId = tenantId }, transaction);
        }

        if (deactivated.Count > 0)
        {
            await connection.ExecuteAsync(DeactivateManySql, new { Now = now, TenantId = tenantId, Ids = deactivated.ToArray() }, transaction);
        }

        await AuditWriter.WriteAsync(transaction, tenantId, actor.UserId, "catalogo", null, "importar", new
        {
            modo = summary.Mode == ImportMode.Replace ? "reemplazar" : "actualizar",
            filas = summary.Rows,
            creados = summary.Created,
            actualizados = summary.Updated,
            desactivados = summary.Deactivated,
            sin_cambios = summary.Unchanged,
        });
        await transaction.CommitAsync();
    }

    // sku, name, description, price, stock, category, active, keywords, image_url — in that column order.
    private static void WriteFields(NpgsqlBinaryImporter writer, Product p)
    {
        writer.Write(p.Sku, NpgsqlDbType.Varchar);
        writer.Write(p.Name, NpgsqlDbType.Varchar);
        writer.Write(p.Description, NpgsqlDbType.Varchar);
        writer.Write(p.Price, NpgsqlDbType.Numeric);
        writer.Write(p.Stock, NpgsqlDbType.Integer);
        writer.Write(p.Category, NpgsqlDbType.Varchar);
        writer.Write(p.Active, NpgsqlDbType.Boolean);
        writer.Write(p.Keywords.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        if (p.ImageUrl is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.Write(p.ImageUrl, NpgsqlDbType.Varchar);
        }
    }

    private static object Describe(Product p) => new
    {
        sku = p.Sku,
        nombre = p.Name,
        precio = p.Price,
        stock = p.Stock,
        categoria = p.Category,
        activo = p.Active,
        palabras_clave = p.Keywords,
        imagen_url = p.ImageUrl,
    };
}
