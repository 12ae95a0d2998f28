using System.Globalization;
using AgenteVendedor.Common;
using AgenteVendedor.Database;
using AgenteVendedor.Retrieval;
using AgenteVendedor.Sales;
using AgenteVendedor.Text;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Catalog;

public sealed class TenantGrain(CatalogStore catalog, OrderStore orders, OrderLifecycle lifecycle, ProductVectors vectors, TimeProvider clock, ILogger<TenantGrain> logger)
    : Grain, ITenantGrain, ICatalogSearchGrain
{
    private static readonly Problem UnknownEmpresa = Problem.NotFound("La empresa no existe.");
    private static readonly Problem UnknownProduct = Problem.NotFound("No existe un producto con ese id en esta empresa.");
    private static readonly Problem SearchUnavailable = new(ProblemKind.Unavailable,
        "La búsqueda no está disponible en este momento (no se pudieron calcular los vectores). Intenta de nuevo en unos segundos.",
        RetryAfterSeconds: 5);

    private bool _exists;
    private readonly Dictionary<Guid, Product> _products = [];
    private readonly Dictionary<string, Guid> _bySku = new(CatalogRules.SkuComparer);
    private readonly Dictionary<Guid, Folded> _folded = [];
    private Guid[]? _byName;

    // Orders arrive interleaved (see ITenantGrain.PlaceOrderAsync). They wait in _pending and are
    // written together; _reserved holds the units of orders not yet written, so the memory check
    // never promises the same unit twice. Every other write takes _writes for its whole duration.
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly List<PendingOrder> _pending = [];
    private readonly Dictionary<Guid, int> _reserved = [];
    private bool _flushRunning;

    // Products whose stock in memory may be wrong since a commit of unknown outcome: reloaded from
    // PostgreSQL (under _writes) before the next order is checked against memory.
    private readonly HashSet<Guid> _stockInDoubt = [];

    private const int MaxOrdersPerCommit = 256;

    // orders.total and order_items.subtotal are numeric(14,2); orders.notes varchar(1000), orders.channel varchar(20).
    private const decimal MaxOrderTotal = 999_999_999_999.99m;
    private const int MaxNotesLength = 1000;
    private const int MaxChannelLength = 20;

    // Built on the first search after activation, kept in step with every product change, dropped with the activation.
    private readonly CatalogSearch _search = new(vectors, logger);

    private sealed record PendingOrder(OrderStore.Pending Order, TaskCompletionSource<OrderStore.PlaceResult> Done);

    /// <summary>A product's texts folded once, for search and filters.</summary>
    private sealed record Folded(string Name, string Description, string Category, string[] Keywords);

    private Guid TenantId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (exists, products) = await catalog.LoadAsync(TenantId);
        _exists = exists;
        foreach (var product in products)
        {
            Remember(product);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _search.Dispose();
        return Task.CompletedTask;
    }

    public async Task<Outcome<IReadOnlyList<ProductMatch>>> SearchProductsAsync(string query, int k)
    {
        if (!_exists || string.IsNullOrWhiteSpace(query))
        {
            return Matches([]);
        }

        var hits = await _search.SearchAsync(TenantId, query, k, () => _products.Values.Where(p => p.Active).ToList());
        if (hits is null)
        {
            return SearchUnavailable;
        }

        return Matches(hits
            .Where(h => _products.TryGetValue(h.ProductId, out var p) && p.Active)
            .Select(h => new ProductMatch(_products[h.ProductId], Math.Round(h.Score, 5), h.LexicalRank > 0, Math.Round(h.LexicalScore, 5)))
            .ToList());

        static Outcome<IReadOnlyList<ProductMatch>> Matches(List<ProductMatch> matches) => new(matches, null);
    }

    public Task<CatalogReading> ReadAsync(string text) =>
        !_exists || string.IsNullOrWhiteSpace(text)
            ? Task.FromResult(CatalogReading.Empty)
            : _search.ReadAsync(text, () => _products.Values.Where(p => p.Active).ToList());

    /// <summary>After a committed write: brings the search index (if one was built) in line with the changed products; never fails the write.</summary>
    private Task ReindexAsync(IEnumerable<Guid> changed) => _search.UpdateAsync(TenantId, changed.Select(id => _products[id]));

    public Task<Product?> GetProductAsync(Guid productId) => Task.FromResult(_products.GetValueOrDefault(productId));

    public Task<IReadOnlyList<Product>> FindBySkuAsync(IReadOnlyList<string> skus) =>
        Task.FromResult<IReadOnlyList<Product>>(skus.Distinct(CatalogRules.SkuComparer)
            .Select(sku => _bySku.TryGetValue(sku, out var id) ? _products[id] : null).OfType<Product>().ToList());

    public Task<Page<Product>> ListProductsAsync(ProductQuery query)
    {
        var search = string.IsNullOrWhiteSpace(query.Search) ? null : SpanishText.Fold(query.Search);
        var category = string.IsNullOrWhiteSpace(query.Category) ? null : SpanishText.Fold(query.Category);
        IEnumerable<Product> matches = SortedByName().Select(id => _products[id]);
        if (query.Active is { } active) { matches = matches.Where(p => p.Active == active); }
        if (query.InStock is { } inStock) { matches = matches.Where(p => p.Stock > 0 == inStock); }
        if (query.MaxStock is { } maxStock) { matches = matches.Where(p => p.Stock <= maxStock); }
        if (category is not null) { matches = matches.Where(p => FoldedOf(p).Category == category); }
        if (search is not null)
        {
            matches = matches.Where(p => FoldedOf(p).Name.Contains(search, StringComparison.Ordinal)
                || p.Sku.Contains(search, StringComparison.OrdinalIgnoreCase)
                || FoldedOf(p).Description.Contains(search, StringComparison.Ordinal)
                || FoldedOf(p).Keywords.Any(k => k.Contains(search, StringComparison.Ordinal)));
        }

        var all = matches.ToList();
        var items = all.Skip((query.Page - 1) * query.Size).Take(query.Size).ToList();
        return Task.FromResult(new Page<Product>(items, all.Count, query.Page, query.Size));
    }

    public async Task<Outcome<Product>> SaveProductAsync(Actor actor, Guid? productId, ProductInput input)
    {
        if (!_exists)
        {
            return UnknownEmpresa;
        }

        Product? before = null;
        if (productId is { } id && !_products.TryGetValue(id, out before))
        {
            return UnknownProduct;
        }

        var errors = CatalogRules.Check(input.Sku, input.Name, input.Description, input.Price, input.Stock, input.Category);
        var keywords = CatalogRules.Keywords(input.Keywords, errors);
        var imageUrl = CatalogRules.ImageUrl(input.ImageUrl, errors);
        if (errors.Count > 0)
        {
            return new Problem(ProblemKind.Validation, "El producto tiene datos inválidos.", errors.ToArray());
        }

        var sku = (input.Sku is null ? null : CatalogRules.NormalizeSku(input.Sku))
            ?? before?.Sku
            ?? CatalogRules.GenerateSku(input.Name, _bySku.ContainsKey);
        if (_bySku.TryGetValue(sku, out var owner) && owner != before?.Id)
        {
            return SkuTaken(sku);
        }

        await _writes.WaitAsync();
        try
        {
            var saved = await catalog.SaveAsync(TenantId, actor, before, before?.Id ?? Guid.CreateVersion7(), sku, input, keywords, imageUrl);
            Remember(saved);
            await ReindexAsync([saved.Id]);
            return saved;
        }
        catch (Exception e) when (e.IsUniqueViolation("products_tenant_sku"))
        {
            await ReloadCatalogAsync();
            return SkuTaken(sku);
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task<Outcome<Product>> DeactivateProductAsync(Actor actor, Guid productId)
    {
        if (!_products.ContainsKey(productId))
        {
            return UnknownProduct;
        }

        await _writes.WaitAsync();
        try
        {
            var saved = await catalog.DeactivateAsync(TenantId, actor, productId);
            Remember(saved);
            await ReindexAsync([saved.Id]);
            return saved;
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task<ImportOutcome> ImportCatalogAsync(Actor actor, ImportRequest request)
    {
        if (!_exists)
        {
            return new ImportOutcome(null, [], EmpresaMissing: true);
        }

        await _writes.WaitAsync();
        try
        {
            return await ImportLockedAsync(actor, request);
        }
        finally
        {
            _writes.Release();
        }
    }

    private async Task<ImportOutcome> ImportLockedAsync(Actor actor, ImportRequest request)
    {
        var culture = CultureInfo.GetCultureInfo(await catalog.CultureAsync(TenantId));
        var read = CatalogCsvReader.Read(request.File, culture);
        var plan = CatalogImportPlan.Build(request.Mode, read.HasSku, read.Rows, _products.Values, _bySku);
        if (read.Errors.Count + plan.Errors.Count > 0)
        {
            var errors = read.Errors.Concat(plan.Errors).OrderBy(e => e.Row).ToList();
            return new ImportOutcome(null, errors.Take(ImportOutcome.MaxReportedErrors).ToList(), errors.Count);
        }

        // Written even when nothing changed: the audit log keeps every import with its counts.
        var now = PostgresTime.Now(clock);
        var created = plan.Created.Select(p => p with { CreatedAt = now, UpdatedAt = now }).ToList();
        var updated = plan.Updated.Select(p => p with { UpdatedAt = now }).ToList();
        try
        {
            await catalog.ApplyImportAsync(TenantId, actor, now, created, updated, plan.Deactivated, plan.Summary);
        }
        catch (Exception e) when (e.IsUniqueViolation("products_tenant_sku"))
        {
            // Only when the catalog changed behind this activation's back (another activation of the
            // empresa wrote it): memory takes the database's catalog, so importing again works.
            await ReloadCatalogAsync();
            return new ImportOutcome(null, [new ImportError(1, CatalogCsv.Sku,
                "Un sku del archivo ya existe en la empresa con otro producto: el catálogo cambió mientras se importaba. No se cambió nada; vuelve a importar el archivo.")], 1);
        }

        foreach (var product in created.Concat(updated))
        {
            Remember(product);
        }

        foreach (var id in plan.Deactivated)
        {
            Remember(_products[id] with { Active = false, Stock = 0, UpdatedAt = now });
        }

        await ReindexAsync(created.Concat(updated).Select(p => p.Id).Concat(plan.Deactivated));
        return new ImportOutcome(plan.Summary, []);
    }

    /// <summary>Replaces the products in memory with the database's, after a write found them out of date.</summary>
    private async Task ReloadCatalogAsync()
    {
        var (_, products) = await catalog.LoadAsync(TenantId);
        _products.Clear();
        _bySku.Clear();
        _folded.Clear();
        _byName = null;
        foreach (var product in products)
        {
            Remember(product);
        }

        _search.Dispose();
    }

    public async Task<Outcome<Order>> PlaceOrderAsync(Actor actor, OrderRequest request)
    {
        if (!_exists)
        {
            return UnknownEmpresa;
        }

        // One line per product: the same product twice in a request is one line with the sum.
        var lines = request.Items.GroupBy(i => i.ProductId).Select(g => new OrderLine(g.Key, g.Sum(i => i.Quantity))).ToList();
        var errors = new List<FieldError>();
        foreach (var line in lines)
        {
            if (!_products.TryGetValue(line.ProductId, out var product))
            {
                errors.Add(new FieldError("items", $"No existe el producto {line.ProductId} en esta empresa."));
            }
            else if (!product.Active)
            {
                errors.Add(new FieldError("items", $"El producto '{product.Name}' no está a la venta (inactivo)."));
            }
            else if (line.Quantity is < 1 or > 10_000)
            {
                errors.Add(new FieldError("items", $"La cantidad de '{product.Name}' debe estar entre 1 y 10000."));
            }
        }

        if (errors.Count > 0)
        {
            return new Problem(ProblemKind.Validation, "La venta tiene productos que no se pueden vender.", errors.ToArray());
        }

        // What would not fit its column is refused here, before it can share a transaction with other orders.
        if (CheckFitsColumns(request, lines) is { Length: > 0 } misfits)
        {
            return new Problem(ProblemKind.Validation, "La venta tiene datos que superan los límites admitidos.", misfits);
        }

        if (_stockInDoubt.Count > 0 && !await ReloadStockInDoubtAsync())
        {
            return new Problem(ProblemKind.Unavailable,
                "No se pueden registrar ventas en este momento: no se pudo leer el stock de la base de datos. Intenta de nuevo en unos segundos.",
                RetryAfterSeconds: 5);
        }

        if (lines.FirstOrDefault(l => Available(_products[l.ProductId]) < l.Quantity) is { } lacking)
        {
            return Shortage(_products[lacking.ProductId]);
        }

        foreach (var line in lines)
        {
            _reserved[line.ProductId] = _reserved.GetValueOrDefault(line.ProductId) + line.Quantity;
        }

        var pending = new PendingOrder(new OrderStore.Pending(actor, request with { Items = lines }),
            new TaskCompletionSource<OrderStore.PlaceResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        _pending.Add(pending);
        if (!_flushRunning)
        {
            // The flag is set here, not from the task: the flush may finish before it returns.
            _flushRunning = true;
            _ = FlushOrdersAsync();
        }

        OrderStore.PlaceResult result;
        try
        {
            result = await pending.Done.Task;
        }
        catch (Exception e) when (OrderStore.IsUnavailable(e))
        {
            return new Problem(ProblemKind.Unavailable,
                "La venta no se registró: la base de datos no respondió. Puedes repetirla en unos segundos.", RetryAfterSeconds: 5);
        }

        switch (result)
        {
            case OrderStore.Placed placed:
                if (placed.Order.Channel is "whatsapp" or "telegram")
                {
                    WakeNotifications();
                }

                return placed.Order;
            case OrderStore.Short shortInDatabase:
                return Shortage(_products[shortInDatabase.ProductId]);
            case OrderStore.Failed { IsDataError: true } failed:
                return new Problem(ProblemKind.Validation, "La venta no se registró: sus datos no caben en los límites de la base de datos.",
                    [new FieldError("items", failed.SqlState == "22003"
                        ? "El total o un subtotal de la venta supera el máximo admitido (999.999.999.999,99)."
                        : $"Los datos de la venta no son válidos para la base de datos (código {failed.SqlState}).")]);
            case OrderStore.Failed failed:
                return new Problem(ProblemKind.Unavailable,
                    $"La venta no se registró por un error de la base de datos (código {failed.SqlState}). Puedes repetirla.", RetryAfterSeconds: 5);
            case OrderStore.OutcomeUnknown unknown:
                return new Problem(ProblemKind.Unavailable,
                    "No se sabe si la venta quedó registrada: se perdió la conexión con la base de datos mientras se confirmaba. "
                    + $"Consulta GET /ventas/{unknown.OrderId} antes de repetirla: si responde 404, no quedó registrada.", RetryAfterSeconds: 5);
            case OrderStore.Repeated repeated:
                // Placed before under the same idempotency key (a replayed chat confirmation): the first order, nothing taken.
                return await GrainFactory.GetGrain<ISalesLedgerGrain>(TenantId).GetOrderAsync(repeated.OrderId) is { } first
                    ? first
                    : Problem.Conflict("Ya se registró una venta con esa clave.");
            default:
                return new Problem(ProblemKind.Validation, "El cliente no existe en esta empresa.",
                    [new FieldError("cliente_id", "No existe un cliente con ese id en esta empresa.")]);
        }
    }

    private FieldError[] CheckFitsColumns(OrderRequest request, List<OrderLine> lines)
    {
        var errors = new List<FieldError>();
        var total = lines.Sum(l => _products[l.ProductId].Price * l.Quantity);
        if (total > MaxOrderTotal)
        {
            errors.Add(new FieldError("items",
                $"El total de la venta ({total.ToString("N2", SpanishNumbers)}) supera el máximo admitido de "
                + $"{MaxOrderTotal.ToString("N2", SpanishNumbers)}; divídela en varias ventas."));
        }

        if (TextFit.ColumnProblem(request.Notes, MaxNotesLength) is { } notes)
        {
            errors.Add(new FieldError("notas", notes));
        }

        if (string.IsNullOrEmpty(request.Channel))
        {
            errors.Add(new FieldError("canal", "Es obligatorio."));
        }
        else if (TextFit.ColumnProblem(request.Channel, MaxChannelLength) is { } channel)
        {
            errors.Add(new FieldError("canal", channel));
        }

        return errors.ToArray();
    }

    private static readonly CultureInfo SpanishNumbers = CultureInfo.GetCultureInfo("es-CO");

    /// <summary>Writes waiting orders, up to <see cref="MaxOrdersPerCommit"/> per transaction, until none is left.</summary>
    private async Task FlushOrdersAsync()
    {
        List<PendingOrder> batch = [];
        try
        {
            while (_pending.Count > 0)
            {
                batch = _pending.Take(MaxOrdersPerCommit).ToList();
                _pending.RemoveRange(0, batch.Count);
                await _writes.WaitAsync();
                try
                {
                    await WriteOrdersAsync(batch);
                }
                finally
                {
                    _writes.Release();
                }
            }
        }
        catch (Exception e)
        {
            // Only a bug gets here; no order may be left waiting forever.
            foreach (var waiting in batch.Where(b => !b.Done.Task.IsCompleted).Concat(_pending))
            {
                Unreserve(waiting.Order.Request);
                waiting.Done.TrySetException(e);
            }

            _pending.Clear();
        }
        finally
        {
            _flushRunning = false;
        }
    }

    /// <summary>
    /// Writes a group of orders in one transaction (the caller holds _writes). If the group fails
    /// before its commit, nothing of it was recorded: each order is written again alone, so one bad
    /// order never fails the others.
    /// </summary>
    private async Task WriteOrdersAsync(IReadOnlyList<PendingOrder> batch)
    {
        IReadOnlyList<OrderStore.PlaceResult> results;
        try
        {
            results = await orders.PlaceBatchAsync(TenantId, batch.Select(b => b.Order).ToList(), PostgresTime.Now(clock));
        }
        catch (OrderStore.CommitOutcomeUnknownException unknown)
        {
            // Recorded or not, memory may be wrong about these products: PostgreSQL says what is left.
            foreach (var line in batch.SelectMany(b => b.Order.Request.Items))
            {
                _stockInDoubt.Add(line.ProductId);
            }

            await ReloadStockInDoubtLockedAsync();
            Complete(batch, i => new OrderStore.OutcomeUnknown(unknown.OrderIds[i]));
            return;
        }
        catch (Exception e) when (batch.Count > 1 && !OrderStore.IsUnavailable(e))
        {
            foreach (var waiting in batch)
            {
                await WriteOrdersAsync([waiting]);
            }

            return;
        }
        catch (Exception e)
        {
            foreach (var waiting in batch)
            {
                Unreserve(waiting.Order.Request);
                waiting.Done.TrySetException(e);
            }

            return;
        }

        // Committed: from here on nothing may send these orders to the database again.
        Complete(batch, i => results[i]);
    }

    private void Complete(IReadOnlyList<PendingOrder> batch, Func<int, OrderStore.PlaceResult> resultOf)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            // The waiting call resumes after this turn, when memory already holds every result.
            var result = resultOf(i);
            Unreserve(batch[i].Order.Request);
            batch[i].Done.TrySetResult(result);
            ApplyToMemory(result);
        }
    }

    private async Task<bool> ReloadStockInDoubtAsync()
    {
        await _writes.WaitAsync();
        try
        {
            return await ReloadStockInDoubtLockedAsync();
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Takes PostgreSQL's stock for the products in doubt (the caller holds _writes); false when it cannot be read now.</summary>
    private async Task<bool> ReloadStockInDoubtLockedAsync()
    {
        if (_stockInDoubt.Count == 0)
        {
            return true;
        }

        var ids = _stockInDoubt.ToList();
        try
        {
            foreach (var found in await orders.StockOfAsync(TenantId, ids))
            {
                Remember(_products[found.ProductId] with { Stock = found.Stock });
            }
        }
        catch (Exception)
        {
            // Whatever the reason, memory stays in doubt and the next order tries again (OrderStore logs it).
            return false;
        }

        _stockInDoubt.ExceptWith(ids);
        return true;
    }

    // The database's figures are the truth: memory takes them after every write.
    private void ApplyToMemory(OrderStore.PlaceResult result)
    {
        switch (result)
        {
            case OrderStore.Placed placed:
                foreach (var taken in placed.Lines)
                {
                    Remember(_products[taken.ProductId] with { Stock = taken.Stock, UpdatedAt = placed.Order.CreatedAt });
                }

                break;
            case OrderStore.Short lacking:
                Remember(_products[lacking.ProductId] with { Stock = lacking.Available });
                break;
        }
    }

    private void Unreserve(OrderRequest request)
    {
        foreach (var line in request.Items)
        {
            var left = _reserved.GetValueOrDefault(line.ProductId) - line.Quantity;
            if (left > 0)
            {
                _reserved[line.ProductId] = left;
            }
            else
            {
                _reserved.Remove(line.ProductId);
            }
        }
    }

    private int Available(Product product) => Math.Max(0, product.Stock - _reserved.GetValueOrDefault(product.Id));

    public Task<Outcome<Order>> AnnulOrderAsync(Actor actor, Guid orderId) =>
        MoveOrderAsync(actor, orderId, OrderStatus.Annulled, note: null, auditAction: "anular", strict: true);

    public Task<Outcome<Order>> ChangeOrderStatusAsync(Actor actor, Guid orderId, string status, string? note) =>
        MoveOrderAsync(actor, orderId, status, note, auditAction: "estado", strict: false);

    /// <summary>One step of an order's lifecycle (<see cref="OrderLifecycle"/>); stock it gives back is applied to memory too.</summary>
    private async Task<Outcome<Order>> MoveOrderAsync(Actor actor, Guid orderId, string status, string? note, string auditAction, bool strict)
    {
        if (!_exists)
        {
            return UnknownEmpresa;
        }

        if (OrderLifecycle.Precheck(actor, status, note) is { } refused)
        {
            return refused;
        }

        // Only a move that gives stock back writes the catalog, so only that one waits for the other writes.
        var returnsStock = OrderLifecycle.ReturnsStock(status);
        var now = PostgresTime.Now(clock);
        OrderLifecycle.MoveResult result;
        if (returnsStock)
        {
            await _writes.WaitAsync();
        }

        try
        {
            result = await lifecycle.MoveAsync(TenantId, actor, orderId, status, note, auditAction, now);
            foreach (var r in (result as OrderLifecycle.Moved)?.Returned ?? [])
            {
                Remember(_products[r.ProductId] with { Stock = r.Stock, UpdatedAt = now });
            }
        }
        finally
        {
            if (returnsStock)
            {
                _writes.Release();
            }
        }

        if (OrderLifecycle.ProblemOf(result, status, strict) is { } problem)
        {
            return problem;
        }

        if (result is OrderLifecycle.Moved)
        {
            WakeNotifications();
        }

        return await GrainFactory.GetGrain<ISalesLedgerGrain>(TenantId).GetOrderAsync(orderId) is { } order
            ? order
            : Problem.NotFound("No existe una venta con ese id en esta empresa.");
    }

    /// <summary>
    /// A committed step may have left an outbox row (sql/0120 decides which do): the empresa's sender starts,
    /// one-way, so the request never waits for the platform.
    /// </summary>
    private void WakeNotifications() => GrainFactory.GetGrain<Notifications.INotificationOutboxGrain>(TenantId).WakeAsync().Ignore();

    private Problem Shortage(Product product)
    {
        var available = Available(product);
        return new Problem(
            ProblemKind.Conflict,
            available == 0
                ? $"No hay unidades disponibles de '{product.Name}'."
                : $"Solo hay {available} unidad(es) disponibles de '{product.Name}'.",
            Shortage: new StockShortage(product.Id, available));
    }

    private static Problem SkuTaken(string sku) => new(ProblemKind.Conflict, $"Ya existe un producto con el sku {sku}.",
        [new FieldError("sku", "Ya existe un producto con este sku en la empresa.")]);

    private void Remember(Product product)
    {
        var previous = _products.GetValueOrDefault(product.Id);
        if (previous is not null && !CatalogRules.SkuComparer.Equals(previous.Sku, product.Sku))
        {
            _bySku.Remove(previous.Sku);
        }

        if (previous is null || previous.Name != product.Name)
        {
            _byName = null;
        }

        if (previous is not null && (previous.Name != product.Name || previous.Description != product.Description || previous.Category != product.Category
            || !previous.Keywords.SequenceEqual(product.Keywords, StringComparer.Ordinal)))
        {
            _folded.Remove(product.Id);
        }

        _products[product.Id] = product;
        _bySku[product.Sku] = product.Id;
    }

    // Folded lazily: an import of 100,000 products should not pay for searches nobody has made yet.
    private Folded FoldedOf(Product product)
    {
        if (!_folded.TryGetValue(product.Id, out var folded))
        {
            folded = new Folded(SpanishText.Fold(product.Name), SpanishText.Fold(product.Description), SpanishText.Fold(product.Category),
                product.Keywords.Select(SpanishText.Fold).ToArray());
            _folded[product.Id] = folded;
        }

        return folded;
    }

    private Guid[] SortedByName() => _byName ??= _products.Values
        .OrderBy(p => FoldedOf(p).Name, StringComparer.Ordinal)
        .ThenBy(p => p.Id)
        .Select(p => p.Id)
        .ToArray();
}
