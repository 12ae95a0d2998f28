using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// A product stack (real Api and silo processes) with the fake Graph API, shared by the tests of one class; each test
/// opens its own shop (<see cref="OpenAsync"/>): an empresa with a small catalog and its own WhatsApp number and Meta catalog.
/// </summary>
public abstract class WhatsAppStack : IAsyncLifetime
{
    public const string AppSecret = "secreto-de-la-app-meta";

    private PostgresDatabase _database = null!;

    public ProductStack Stack { get; private set; } = null!;

    public FakeMessaging Platforms { get; private set; } = null!;

    public ChannelRecords Records { get; private set; } = null!;

    public ApiClient Anonymous { get; private set; } = null!;

    /// <summary>Settings of this class's stack besides the fake's URLs.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        Platforms = await FakeMessaging.StartAsync();
        _database = await PostgresDatabase.CreateAsync();
        Records = new ChannelRecords(_database);
        var settings = new Dictionary<string, string>
        {
            ["WhatsApp__GraphApiUrl"] = Platforms.BaseUrl.ToString(),
            ["Channels__DebounceMilliseconds"] = "300",
            ["Channels__BackoffMilliseconds"] = "50",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        Stack = await ProductStack.StartAsync(_database, silos: 1, settings);
        Anonymous = new ApiClient(Stack.CreateClient());
    }

    public async Task<WhatsAppShop> OpenAsync(bool withCatalog = true) => await WhatsAppShop.OpenAsync(this, withCatalog);

    public async Task DisposeAsync()
    {
        Anonymous?.Dispose();
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }

        await _database.DisposeAsync();
        await Platforms.DisposeAsync();
    }
}

/// <summary>One empresa selling over WhatsApp: its catalog, channel, Meta catalog, and the customer's side of the chat.</summary>
public sealed class WhatsAppShop
{
    public const string Photo = "https://cdn.tienda.example/fotos/";

    /// <summary>The shop's products: a mug and a cap with stock, a t-shirt sold out, a notebook without a picture (Meta refuses it).</summary>
    public static readonly string[] Csv =
    [
        "sku,nombre,descripcion,precio,stock,categoria,imagen",
        $"TAZ-1,Taza de cerámica,Taza blanca de 350 ml,15000,10,Hogar,{Photo}taza.jpg",
        $"GOR-1,Gorra bordada,Gorra de algodón con logo bordado,30000,3,Ropa,{Photo}gorra.jpg",
        $"CAM-1,Camiseta estampada,Camiseta de algodón talla M,45000,0,Ropa,{Photo}camiseta.jpg",
        "LIB-1,Libreta de notas,Libreta de 100 hojas,8000,5,Papelería,",
    ];

    private WhatsAppStack _stack = null!;

    public Tenant Tenant { get; private init; } = null!;

    public string PhoneNumberId { get; private init; } = "";

    public string AccessToken { get; private init; } = "";

    public string CatalogId { get; private init; } = "";

    /// <summary>Product id by sku.</summary>
    public Dictionary<string, string> Ids { get; private init; } = [];

    public FakeMessaging Platforms => _stack.Platforms;

    internal static async Task<WhatsAppShop> OpenAsync(WhatsAppStack stack, bool withCatalog)
    {
        var tenant = await stack.Anonymous.RegisterAsync("Tienda La Esquina");
        var import = await tenant.Admin.ImportAsync(CsvFiles.Utf8(Csv), "reemplazar");
        Assert.True(import.Status == HttpStatusCode.OK, import.Body);
        var products = await tenant.Admin.GetAsync("/productos?tamano=100");
        var shop = new WhatsAppShop
        {
            _stack = stack,
            Tenant = tenant,
            PhoneNumberId = Digits(12),
            AccessToken = $"EAAG-{Guid.NewGuid():N}",
            CatalogId = Digits(15),
            Ids = products.Json["items"]!.AsArray().ToDictionary(p => p!["sku"]!.GetValue<string>(), p => p!["id"]!.GetValue<string>()),
        };
        stack.Platforms.RegisterWhatsApp(shop.PhoneNumberId, shop.AccessToken);
        stack.Platforms.RegisterCatalog(shop.CatalogId, shop.AccessToken);
        var configured = await shop.ConfigureAsync(withCatalog ? shop.CatalogId : null);
        Assert.True(configured.Status == HttpStatusCode.OK, configured.Body);
        return shop;
    }

    public Task<Answer> ConfigureAsync(string? catalogId) => Tenant.Admin.PutAsync("/canales/whatsapp", new
    {
        phone_number_id = PhoneNumberId, access_token = AccessToken, app_secret = WhatsAppStack.AppSecret,
        verify_token = "token-de-verificacion", catalog_id = catalogId,
    });

    public Task<Answer> PublishAsync() => Tenant.Admin.PostAsync("/canales/whatsapp/catalogo", null);

    public async Task<JsonNode> ProductAsync(string sku) => (await Tenant.Admin.GetAsync($"/productos/{Ids[sku]}")).Json;

    public async Task<List<JsonNode>> SalesAsync() =>
        [.. (await Tenant.Admin.GetAsync("/ventas?tamano=100")).Json["items"]!.AsArray().Select(s => s!)];

    public static string NewCustomer() => "57310" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

    public string Key(string customer) => ChannelRecords.Key(Tenant.EmpresaId, "whatsapp", customer);

    public async Task DeliverAsync(byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Hub-Signature-256", MetaWebhook.Sign(body, WhatsAppStack.AppSecret));
        using var response = await _stack.Anonymous.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The customer writes; waits until the message is answered and returns what the customer got for it.</summary>
    public async Task<List<FakeMessaging.Sent>> SayAsync(string customer, string text) =>
        await SendAsync(customer, MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", text));

    /// <summary>The customer sends a cart from the WhatsApp catalog (Meta's order message); what the customer got for it.</summary>
    public async Task<List<FakeMessaging.Sent>> OrderAsync(string customer, params (string Sku, int Quantity, decimal ItemPrice)[] items) =>
        await SendAsync(customer, MetaWebhook.Message(PhoneNumberId, customer, OrderMessage(customer, CatalogId, items)));

    /// <summary>A catalog cart with Meta's timestamp <paramref name="sentAt"/> (a customer outside the 24-hour window when it is old).</summary>
    public async Task<List<FakeMessaging.Sent>> OrderSentAtAsync(string customer, DateTimeOffset sentAt, params (string Sku, int Quantity, decimal ItemPrice)[] items) =>
        await SendAsync(customer, MetaWebhook.Message(PhoneNumberId, customer, OrderMessage(customer, CatalogId, items, sentAt)));

    public static JsonObject OrderMessage(string customer, string catalogId, (string Sku, int Quantity, decimal ItemPrice)[] items, DateTimeOffset? sentAt = null) => new()
    {
        ["from"] = customer,
        ["id"] = $"wamid.{Guid.NewGuid():N}",
        ["timestamp"] = (sentAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        ["type"] = "order",
        ["order"] = new JsonObject
        {
            ["catalog_id"] = catalogId,
            ["text"] = "Hola, quiero esto",
            ["product_items"] = new JsonArray([.. items.Select(i => (JsonNode)new JsonObject
            {
                ["product_retailer_id"] = i.Sku, ["quantity"] = i.Quantity, ["item_price"] = i.ItemPrice, ["currency"] = "COP",
            })]),
        },
    };

    private readonly Dictionary<string, int> _inbound = [];

    /// <summary>How many messages the customer sent through this shop (each test uses new customers).</summary>
    public int InboundOf(string customer) => _inbound.GetValueOrDefault(customer);

    private async Task<List<FakeMessaging.Sent>> SendAsync(string customer, byte[] body)
    {
        var before = Platforms.To(customer).Count;
        await DeliverAsync(body);
        _inbound[customer] = InboundOf(customer) + 1;
        await _stack.Records.WaitUntilAnsweredAsync(Key(customer), InboundOf(customer));
        return Platforms.To(customer).Skip(before).ToList();
    }

    /// <summary>WhatsApp's text of a send: text.body, interactive.body.text or image.caption.</summary>
    public static string TextOf(FakeMessaging.Sent sent) => sent.Body["text"]?["body"]?.GetValue<string>()
        ?? sent.Body["interactive"]?["body"]?["text"]?.GetValue<string>()
        ?? sent.Body["image"]?["caption"]?.GetValue<string>()
        ?? sent.Body["template"]?["name"]?.GetValue<string>() ?? "";

    private static string Digits(int count) =>
        string.Concat(Enumerable.Range(0, count).Select(i => (i == 0 ? Random.Shared.Next(1, 10) : Random.Shared.Next(0, 10)).ToString(CultureInfo.InvariantCulture)));
}
