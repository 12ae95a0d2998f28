using AgenteVendedor.Audit;
using AgenteVendedor.Common;
using AgenteVendedor.Database;
using Dapper;
using Npgsql;
using Orleans.Concurrency;

namespace AgenteVendedor.Customers;

/// <summary>Customers live in PostgreSQL only (no in-memory copy), so any number of activations may serve them.</summary>
[StatelessWorker, Reentrant]
public sealed class CustomersGrain(NpgsqlDataSource database) : Grain, ICustomersGrain
{
    private const string Columns = """
        id AS Id, name AS Name, phone AS Phone, email AS Email, document AS Document, address AS Address,
        notes AS Notes, created_at AS CreatedAt
        """;

    private const string CultureSql = "SELECT culture FROM tenants WHERE id = @TenantId";

    private const string InsertSql = $"""
        INSERT INTO customers (id, tenant_id, name, phone, email, document, address, notes)
        VALUES (@Id, @TenantId, @Name, @Phone, @Email, @Document, @Address, @Notes)
        RETURNING {Columns}
        """;

    private const string UpdateSql = $"""
        UPDATE customers SET name = @Name, phone = @Phone, email = @Email, document = @Document,
               address = @Address, notes = @Notes, updated_at = now()
         WHERE id = @Id AND tenant_id = @TenantId
        RETURNING {Columns}
        """;

    private const string GetSql = $"SELECT {Columns} FROM customers WHERE id = @Id AND tenant_id = @TenantId";

    private const string SearchFilter = """
          FROM customers
         WHERE tenant_id = @TenantId
           AND (@Search::text IS NULL
                OR unaccent(lower(name)) LIKE '%' || unaccent(lower(@Search::text)) || '%'
                OR phone LIKE '%' || @Search::text || '%'
                OR lower(coalesce(email, '')) LIKE '%' || lower(@Search::text) || '%'
                OR coalesce(document, '') LIKE '%' || @Search::text || '%')
        """;

    private const string ListSql = $"SELECT {Columns} {SearchFilter} ORDER BY created_at DESC, id DESC LIMIT @Size OFFSET @Offset";

    private const string CountSql = $"SELECT count(*) {SearchFilter}";

    private string? _culture;

    private Guid TenantId => this.GetPrimaryKey();

    public async Task<Outcome<Customer>> SaveCustomerAsync(Actor actor, Guid? customerId, CustomerInput input)
    {
        await using var connection = await database.OpenConnectionAsync();
        _culture ??= await connection.ExecuteScalarAsync<string?>(CultureSql, new { TenantId });
        if (_culture is null)
        {
            return Problem.NotFound("La empresa no existe.");
        }

        var phone = PhoneNumbers.ToE164(input.Phone, _culture);
        if (phone is null)
        {
            return Problem.Invalid("telefono", "No es un teléfono válido. Escríbelo con indicativo, por ejemplo +57 300 123 4567.");
        }

        var before = customerId is { } id ? await connection.QuerySingleOrDefaultAsync<Customer>(GetSql, new { Id = id, TenantId }) : null;
        if (customerId is not null && before is null)
        {
            return Problem.NotFound("No existe un cliente con ese id en esta empresa.");
        }

        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            var saved = await connection.QuerySingleAsync<Customer>(before is null ? InsertSql : UpdateSql, new
            {
                Id = before?.Id ?? Guid.CreateVersion7(),
                TenantId,
                input.Name,
                Phone = phone,
                input.Email,
                input.Document,
                input.Address,
                input.Notes,
            }, transaction);
            await AuditWriter.WriteAsync(transaction, TenantId, actor.UserId, "cliente", saved.Id.ToString(),
                before is null ? "crear" : "actualizar", before is null ? saved : new { antes = before, despues = saved });
            await transaction.CommitAsync();
            return saved;
        }
        catch (Exception e) when (e.IsUniqueViolation())
        {
            return new Problem(ProblemKind.Conflict, $"Ya existe un cliente con el teléfono {phone}.",
                [new FieldError("telefono", "Ya existe un cliente con este teléfono en la empresa.")]);
        }
    }

    private const string ByPhoneSql = $"SELECT {Columns} FROM customers WHERE phone = @Phone AND tenant_id = @TenantId";

    public async Task<Outcome<Customer>> FindOrCreateCustomerAsync(Actor actor, CustomerInput input)
    {
        await using var connection = await database.OpenConnectionAsync();
        _culture ??= await connection.ExecuteScalarAsync<string?>(CultureSql, new { TenantId });
        var phone = _culture is null ? null : PhoneNumbers.ToE164(input.Phone, _culture);
        if (phone is not null && await connection.QuerySingleOrDefaultAsync<Customer>(ByPhoneSql, new { Phone = phone, TenantId }) is { } existing)
        {
            // Fill in what the empresa did not know yet; never overwrite what it did.
            return existing.Address is null && input.Address is not null
                ? await SaveCustomerAsync(actor, existing.Id, new CustomerInput(existing.Name, existing.Phone, existing.Email, existing.Document, input.Address, existing.Notes))
                : existing;
        }

        var created = await SaveCustomerAsync(actor, null, input);
        return created.Succeeded || phone is null
            ? created
            : await connection.QuerySingleOrDefaultAsync<Customer>(ByPhoneSql, new { Phone = phone, TenantId }) is { } raced ? raced : created;
    }

    public async Task<Customer?> GetCustomerAsync(Guid customerId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<Customer>(GetSql, new { Id = customerId, TenantId });
    }

    public async Task<Page<Customer>> ListCustomersAsync(string? search, int page, int size)
    {
        var args = new { TenantId, Search = string.IsNullOrWhiteSpace(search) ? null : search.Trim(), Size = size, Offset = (long)(page - 1) * size };
        await using var connection = await database.OpenConnectionAsync();
        var total = await connection.ExecuteScalarAsync<long>(CountSql, args);
        var items = (await connection.QueryAsync<Customer>(ListSql, args)).ToList();
        return new Page<Customer>(items, total, page, size);
    }
}
