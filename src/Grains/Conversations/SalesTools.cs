using AgenteVendedor.Catalog;
using AgenteVendedor.Common;
using AgenteVendedor.Customers;
using AgenteVendedor.Sales;
using AgenteVendedor.Text;

namespace AgenteVendedor.Conversations;

/// <summary>
/// The sales tools the agent drivers call — search, product detail, cart, customer data, confirm,
/// cancel, hand off — over one conversation's state and the empresa's grains. Every fact they
/// return comes from the catalog at the moment of the call. What a driver (or an LLM) writes into
/// the session is cut to fit the columns it ends up in.
/// </summary>
public sealed class SalesTools(IGrainFactory grains, Guid empresaId, string channel, ConversationState state, Actor actor, ChatOrderRules? rules = null)
{
    /// <summary>customers.name and conversations.customer_name are varchar(200).</summary>
    public const int MaxNameLength = 200;

    /// <summary>customers.address is varchar(500); the order's notes add "Entregar en: " to it (varchar(1000)).</summary>
    public const int MaxAddressLength = 300;

    private readonly ITenantGrain _tenant = grains.GetGrain<ITenantGrain>(empresaId);

    public ConversationState State => state;

    public sealed record Found(List<Product> Products, bool Exact);

    /// <summary>Active products for a query, best first; Exact is false when nothing shares the query's words.</summary>
    public async Task<Found> SearchAsync(string query, decimal? maxPrice = null, int limit = 3)
    {
        var searched = await grains.GetGrain<ICatalogSearchGrain>(empresaId).SearchProductsAsync(query, 8);
        var matches = searched.Value ?? throw new InvalidOperationException(searched.Problem!.Message);
        // Only what the query's own words reach, and only near the best hit: a long tail of loose matches helps nobody.
        var exact = matches.Where(m => m.Lexical).ToList();
        if (exact.Count > 0)
        {
            var best = exact[0].Score;
            exact = exact.Where(m => m.Score >= best * 0.6).ToList();
        }

        var chosen = (exact.Count > 0 ? exact : matches).Select(m => m.Product)
            .Where(p => maxPrice is null || p.Price <= maxPrice)
            .Take(limit)
            .ToList();
        if (chosen.Count > 0)
        {
            state.Shown = chosen.Select(p => p.Id).ToList();
            state.Focus = chosen[0].Id;
        }

        return new Found(chosen, exact.Count > 0);
    }

    /// <summary>The search's hits for a query as they come (lexical and by meaning), without touching the session.</summary>
    public async Task<IReadOnlyList<ProductMatch>> MatchAsync(string query, int k = 8)
    {
        var searched = await grains.GetGrain<ICatalogSearchGrain>(empresaId).SearchProductsAsync(query, k);
        return searched.Value ?? throw new InvalidOperationException(searched.Problem!.Message);
    }

    /// <summary>Which of the customer's words the empresa's catalog knows (corrected), and which form its product phrases.</summary>
    public Task<CatalogReading> ReadAsync(string text) => grains.GetGrain<ICatalogSearchGrain>(empresaId).ReadAsync(text);

    public Task<Product?> ProductAsync(Guid id) => _tenant.GetProductAsync(id);

    /// <summary>The products of these skus, active or not (a catalog cart names products by sku).</summary>
    public Task<IReadOnlyList<Product>> ProductsBySkuAsync(IReadOnlyList<string> skus) => _tenant.FindBySkuAsync(skus);

    /// <summary>The cart came from the WhatsApp catalog and waits for the customer's yes or no (or no longer does).</summary>
    public void CatalogCartPending(bool pending) => state.CatalogCartPending = pending;

    /// <summary>The products of these ids that are still on sale, in the same order.</summary>
    public async Task<List<Product>> ActiveProductsAsync(IEnumerable<Guid> ids)
    {
        var products = new List<Product>();
        foreach (var id in ids)
        {
            if (await _tenant.GetProductAsync(id) is { Active: true } product)
            {
                products.Add(product);
            }
        }

        return products;
    }

    public abstract record AddResult;

    public sealed record Added(Product Product, int Quantity) : AddResult;

    public sealed record NotEnough(Product Product, int Available) : AddResult;

    public sealed record Unavailable : AddResult;

    /// <summary>Puts units in the cart if the stock covers them (counting what the cart already holds).</summary>
    public async Task<AddResult> AddToCartAsync(Guid productId, int quantity)
    {
        if (await _tenant.GetProductAsync(productId) is not { Active: true } product)
        {
            return new Unavailable();
        }

        state.Focus = productId;
        var line = state.Cart.FirstOrDefault(c => c.ProductId == productId);
        var inCart = line?.Quantity ?? 0;
        if (inCart + quantity > product.Stock)
        {
            var available = Math.Max(0, product.Stock - inCart);
            state.Offer = available > 0 ? new CartItem { ProductId = productId, Quantity = available } : null;
            return new NotEnough(product, available);
        }

        if (line is null)
        {
            state.Cart.Add(new CartItem { ProductId = productId, Quantity = quantity });
        }
        else
        {
            line.Quantity += quantity;
        }

        state.Offer = null;
        return new Added(product, quantity);
    }

    public bool RemoveFromCart(Guid productId)
    {
        if (state.ImplicitLine == productId)
        {
            state.ImplicitLine = null;
        }

        return state.Cart.RemoveAll(c => c.ProductId == productId) > 0;
    }

    /// <summary>
    /// A cart line's units become <paramref name="quantity"/> if the stock covers them (the line is
    /// created when the product is not in the cart yet); otherwise the stock is offered.
    /// </summary>
    public async Task<AddResult> SetQuantityAsync(Guid productId, int quantity)
    {
        if (await _tenant.GetProductAsync(productId) is not { Active: true } product)
        {
            return new Unavailable();
        }

        state.Focus = productId;
        state.ImplicitLine = null;
        if (quantity > product.Stock)
        {
            state.Offer = product.Stock > 0 ? new CartItem { ProductId = productId, Quantity = product.Stock } : null;
            return new NotEnough(product, product.Stock);
        }

        var line = state.Cart.FirstOrDefault(c => c.ProductId == productId);
        if (line is null)
        {
            state.Cart.Add(new CartItem { ProductId = productId, Quantity = quantity });
        }
        else
        {
            line.Quantity = quantity;
        }

        state.Offer = null;
        return new Added(product, quantity);
    }

    /// <summary>Products the customer is now looking at, in the order shown; the first is in focus.</summary>
    public void Show(IReadOnlyList<Product> products)
    {
        if (products.Count > 0)
        {
            state.Shown = products.Select(p => p.Id).ToList();
            state.Focus = products[0].Id;
        }
    }

    /// <summary>The words of the last search the customer made.</summary>
    public void Searched(string query) => state.LastQuery = Text.TextFit.Cut(query, 200);

    /// <summary>The product the conversation is about now.</summary>
    public void FocusOn(Guid productId) => state.Focus = productId;

    /// <summary>What the agent's reply asks (see Offline.Asked), and units said before choosing which product.</summary>
    public void Ask(string? asked, int? pendingQuantity = null)
    {
        state.Asked = asked;
        state.PendingQuantity = pendingQuantity;
    }

    /// <summary>The customer datum the agent waits for (Awaiting), or none.</summary>
    public void Await(string? awaiting) => state.Awaiting = awaiting;

    /// <summary>Units offered when the stock fell short ("¿quieres las 3?"): a yes takes them.</summary>
    public void Offer(Guid productId, int quantity) => state.Offer = new CartItem { ProductId = productId, Quantity = quantity };

    /// <summary>An offer of stock is answered or dropped.</summary>
    public void DropOffer() => state.Offer = null;

    /// <summary>The line's single unit was assumed, not said.</summary>
    public void AssumedOne(Guid? productId) => state.ImplicitLine = productId;

    /// <summary>The cart priced from the catalog now.</summary>
    public async Task<CartView> CartAsync()
    {
        var lines = new List<CartLine>();
        foreach (var item in state.Cart)
        {
            if (await _tenant.GetProductAsync(item.ProductId) is { } product)
            {
                lines.Add(new CartLine(product.Id, product.Sku, product.Name, item.Quantity, product.Price, product.Price * item.Quantity));
            }
        }

        return new CartView(lines, lines.Sum(l => l.Subtotal));
    }

    public void CaptureCustomer(string? name = null, string? phone = null, string? address = null)
    {
        state.CustomerName = TextFit.CutOrNull(name, MaxNameLength) ?? state.CustomerName;
        // Phones come normalised to E.164 (≤ 16 characters); anything longer is not a phone.
        state.CustomerPhone = phone is { Length: <= 16 } ? phone : state.CustomerPhone;
        state.CustomerAddress = TextFit.CutOrNull(address, MaxAddressLength) ?? state.CustomerAddress;
    }

    /// <summary>What is still missing before an order can be placed, in the order it is asked.</summary>
    public string? MissingCustomerData() =>
        string.IsNullOrWhiteSpace(state.CustomerName) ? Awaiting.Name
        : string.IsNullOrWhiteSpace(state.CustomerPhone) ? Awaiting.Phone
        : string.IsNullOrWhiteSpace(state.CustomerAddress) ? Awaiting.Address
        : null;

    /// <summary>Places the cart as an order through the TenantGrain, so the stock rules hold.</summary>
    public async Task<Outcome<Order>> ConfirmOrderAsync()
    {
        if (rules?.MaxUnits is { } maxUnits && state.Cart.Sum(c => (long)c.Quantity) > maxUnits)
        {
            return Problem.Invalid("items",
                $"Por este chat se pueden pedir hasta {maxUnits} unidades por pedido. Quita algunas del carrito y lo confirmamos, o pide hablar con una persona del equipo.");
        }

        var customer = await grains.GetGrain<ICustomersGrain>(empresaId).FindOrCreateCustomerAsync(actor,
            new CustomerInput(state.CustomerName!, state.CustomerPhone!, null, null, state.CustomerAddress, null));
        if (!customer.Succeeded)
        {
            return customer.Problem!;
        }

        var order = await _tenant.PlaceOrderAsync(actor, new OrderRequest(customer.Value!.Id,
            state.Cart.Select(c => new OrderLine(c.ProductId, c.Quantity)).ToList(), channel,
            state.CustomerAddress is null ? null : $"Entregar en: {state.CustomerAddress}", rules?.OrderKey, rules?.StartsPending ?? false));
        if (order.Succeeded)
        {
            if (!state.Orders.Contains(order.Value!.Id))
            {
                state.Orders.Add(order.Value.Id);
            }

            state.Cart.Clear();
            state.Offer = null;
            state.Awaiting = null;
            state.Asked = null;
            state.ImplicitLine = null;
            if (rules?.Placed is { } placed)
            {
                // Saved at once: a crash after this point must not leave a session that would confirm the same cart again.
                await placed();
            }
        }

        return order;
    }

    public void Cancel()
    {
        state.Cart.Clear();
        state.Offer = null;
        state.Awaiting = null;
        state.Asked = null;
        state.PendingQuantity = null;
        state.ImplicitLine = null;
    }

    public void HandOff() => state.Handoff = true;
}

/// <summary>
/// How orders from one chat turn are placed: the idempotency key (the inbound messages that confirmed
/// the order), the most units one chat order may hold, what to do right after an order is placed, and
/// whether it starts pendiente for staff to confirm (the empresa's setting).
/// </summary>
public sealed record ChatOrderRules(string? OrderKey, int? MaxUnits, Func<Task>? Placed, bool StartsPending = false);
