using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AgenteVendedor.Testing;

/// <summary>
/// Meta's catalog batch endpoint, <c>POST /{version}/{catalog_id}/items_batch</c>, as strict as Meta: only catalogs a test
/// registered are served, with their bearer token (400 code 100 for an unknown catalog, 401 code 190 for a wrong token);
/// the body must be <c>{item_type: "PRODUCT_ITEM", requests: [{method, data}]}</c> with 1 to 5,000 requests (400 code 100
/// otherwise). Each request is validated on its own: an item Meta would refuse is answered in <c>validation_status</c>
/// and left out of the catalog, the rest is applied. Answers <c>{handles: [...], validation_status: [...]}</c>.
/// </summary>
public sealed partial class FakeMessaging
{
    private const int MaxBatchRequests = 5000;

    private readonly Dictionary<string, (string Token, Dictionary<string, JsonObject> Items)> _catalogs = [];
    private readonly Queue<(int Status, string Body)> _catalogFailures = new();

    /// <summary>A batch that passed the bearer and shape checks, as received.</summary>
    public sealed record CatalogBatch(string CatalogId, string? Authorization, JsonNode Body);

    /// <summary>Batches accepted (even when some of their items were refused).</summary>
    public List<CatalogBatch> CatalogBatches { get; } = [];

    /// <summary>Makes a Meta catalog known: its batches need exactly this bearer token.</summary>
    public void RegisterCatalog(string catalogId, string accessToken)
    {
        lock (_catalogs)
        {
            _catalogs[catalogId] = (accessToken, []);
        }
    }

    /// <summary>What the catalog holds now, by retailer id (the item's <c>data</c> as last written).</summary>
    public Dictionary<string, JsonObject> CatalogItems(string catalogId)
    {
        lock (_catalogs)
        {
            return _catalogs.TryGetValue(catalogId, out var catalog)
                ? catalog.Items.ToDictionary(i => i.Key, i => (JsonObject)i.Value.DeepClone(), StringComparer.Ordinal)
                : [];
        }
    }

    /// <summary>Answers the next batch with this status and body (a Graph error), without applying it.</summary>
    public void FailNextCatalogBatch(int status, string body)
    {
        lock (_catalogFailures)
        {
            _catalogFailures.Enqueue((status, body));
        }
    }

    private static void MapCatalog(WebApplication app, FakeMessaging fake) =>
        app.MapPost("/{version}/{catalogId}/items_batch", (HttpContext http, string version, string catalogId) => fake.ItemsBatchAsync(http, version, catalogId));

    private async Task<IResult> ItemsBatchAsync(HttpContext http, string version, string catalogId)
    {
        var (body, _) = await ReadAsync(http);
        var authorization = http.Request.Headers.Authorization.FirstOrDefault();
        Dictionary<string, JsonObject>? items;
        string? token;
        lock (_catalogs)
        {
            (token, items) = _catalogs.TryGetValue(catalogId, out var catalog) ? catalog : (null, null);
        }

        if (!GraphVersion().IsMatch(version) || token is null || items is null)
        {
            return GraphError(400, MetaError(100,
                $"Unsupported post request. Object with ID '{catalogId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                subcode: 33));
        }

        if (authorization != $"Bearer {token}")
        {
            return GraphError(401, MetaError(190, "Invalid OAuth access token - Cannot parse access token"));
        }

        if (body is not JsonObject root || StringAt(root["item_type"]) != "PRODUCT_ITEM"
            || root["requests"] is not JsonArray { Count: >= 1 and <= MaxBatchRequests } requests)
        {
            return GraphError(400, MetaError(100, "(#100) Invalid parameter",
                $"item_type must be PRODUCT_ITEM and requests an array of 1 to {MaxBatchRequests} requests"));
        }

        lock (_catalogFailures)
        {
            if (_catalogFailures.TryDequeue(out var failure))
            {
                return GraphError(failure.Status, failure.Body);
            }
        }

        lock (CatalogBatches)
        {
            CatalogBatches.Add(new CatalogBatch(catalogId, authorization, body.DeepClone()));
        }

        var upsert = root["allow_upsert"] is not JsonValue allow || allow.GetValueKind() != JsonValueKind.False;
        var validation = new JsonArray();
        lock (_catalogs)
        {
            foreach (var request in requests)
            {
                var retailerId = StringAt(request?["data"]?["id"]);
                if (CatalogRequestProblem(request, items, upsert) is { } problem)
                {
                    validation.Add(new JsonObject
                    {
                        ["retailer_id"] = retailerId,
                        ["errors"] = new JsonArray(new JsonObject { ["message"] = problem }),
                        ["warnings"] = new JsonArray(),
                    });
                    continue;
                }

                var data = (JsonObject)request!["data"]!.DeepClone();
                if (StringAt(request["method"]) == "DELETE")
                {
                    items.Remove(retailerId!);
                }
                else if (items.TryGetValue(retailerId!, out var existing))
                {
                    foreach (var (key, value) in data.ToList())
                    {
                        existing[key] = value?.DeepClone();
                    }
                }
                else
                {
                    items[retailerId!] = data;
                }
            }
        }

        var answer = new JsonObject { ["handles"] = new JsonArray($"AcX{Guid.NewGuid():N}") };
        if (validation.Count > 0)
        {
            answer["validation_status"] = validation;
        }

        return Results.Text(answer.ToJsonString(), "application/json");
    }

    private static IResult GraphError(int status, string body) => Results.Text(body, "application/json", statusCode: status);

    private static readonly string[] RequiredItemFields = ["title", "description", "availability", "condition", "price", "image_link", "brand"];

    // Meta's item rules: an id, a known method; a new item needs every required field; values in Meta's formats.
    private static string? CatalogRequestProblem(JsonNode? request, Dictionary<string, JsonObject> items, bool upsert)
    {
        var method = StringAt(request?["method"]);
        if (method is not ("CREATE" or "UPDATE" or "DELETE"))
        {
            return $"method must be CREATE, UPDATE or DELETE: {method}";
        }

        if (request!["data"] is not JsonObject data || StringAt(data["id"]) is not { Length: > 0 and <= 100 } id)
        {
            return "data.id (the retailer id) is required, at most 100 characters";
        }

        if (method == "DELETE")
        {
            return null;
        }

        var exists = items.ContainsKey(id);
        if (method == "CREATE" && exists)
        {
            return $"an item with retailer id {id} already exists";
        }

        if (method == "UPDATE" && !exists && !upsert)
        {
            return $"no item with retailer id {id} (allow_upsert is false)";
        }

        if (!exists && RequiredItemFields.FirstOrDefault(f => StringAt(data[f]) is not { Length: > 0 }) is { } missing)
        {
            return $"Missing required field: {missing}";
        }

        if (data["price"] is { } price && (StringAt(price) is not { } p || !ItemPrice().IsMatch(p)))
        {
            return $"price must be \"<amount> <ISO 4217 currency>\": {price.ToJsonString()}";
        }

        if (data["availability"] is { } availability
            && StringAt(availability) is not ("in stock" or "out of stock" or "preorder" or "available for order" or "discontinued"))
        {
            return $"availability is not one of Meta's values: {availability.ToJsonString()}";
        }

        if (data["condition"] is { } condition && StringAt(condition) is not ("new" or "refurbished" or "used"))
        {
            return $"condition is not one of Meta's values: {condition.ToJsonString()}";
        }

        if (data["image_link"] is { } image
            && (StringAt(image) is not { } link || !Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            return $"image_link must be an absolute http(s) URL: {image.ToJsonString()}";
        }

        return StringAt(data["title"]) is { Length: > 200 } ? "title is longer than 200 characters"
            : StringAt(data["description"]) is { Length: > 9999 } ? "description is longer than 9999 characters"
            : null;
    }

    [GeneratedRegex(@"^\d+(\.\d{1,2})? [A-Z]{3}$")]
    private static partial Regex ItemPrice();

    // Meta's product_list: a text header and a body, the catalog's id, 1 to 10 sections each with a title (≤ 24) and
    // products, at most 30 products in all.
    private static (int, string)? ProductListProblem(JsonNode interactive)
    {
        if (interactive["header"] is null)
        {
            return (131008, "a product_list needs a header of type text");
        }

        var action = interactive["action"];
        if (StringAt(action?["catalog_id"]) is not { Length: > 0 })
        {
            return (131008, "interactive.action.catalog_id is required for a product_list");
        }

        if (action!["sections"] is not JsonArray { Count: >= 1 and <= 10 } sections)
        {
            return (131009, "interactive.action.sections must hold 1 to 10 sections");
        }

        var products = 0;
        foreach (var section in sections)
        {
            if (StringAt(section?["title"]) is not { } title || title.Trim().Length == 0 || Characters(title) > 24)
            {
                return (131009, "each section of a product_list needs a title of 1 to 24 characters");
            }

            if (section!["product_items"] is not JsonArray { Count: >= 1 } items
                || items.Any(i => StringAt(i?["product_retailer_id"]) is not { Length: > 0 }))
            {
                return (131009, "each section needs product_items, each with a product_retailer_id");
            }

            products += items.Count;
        }

        return products > 30 ? (131009, $"a product_list holds at most 30 products, not {products}") : null;
    }

    // The products of a product_list must be in the named catalog, and the catalog reachable with the sender's token.
    private (int Code, string Details)? CatalogProductsProblem(string? token, JsonNode body)
    {
        if (StringAt(body["type"]) != "interactive" || StringAt(body["interactive"]?["type"]) != "product_list")
        {
            return null;
        }

        var catalogId = StringAt(body["interactive"]!["action"]?["catalog_id"]) ?? "";
        lock (_catalogs)
        {
            if (!_catalogs.TryGetValue(catalogId, out var catalog) || catalog.Token != token)
            {
                return (131009, $"catalog {catalogId} is not connected to this WhatsApp Business Account");
            }

            var missing = (body["interactive"]!["action"]!["sections"] as JsonArray ?? [])
                .SelectMany(s => s?["product_items"] as JsonArray ?? [])
                .Select(i => StringAt(i?["product_retailer_id"]) ?? "")
                .FirstOrDefault(id => !catalog.Items.ContainsKey(id));
            return missing is null ? null : (131009, $"product {missing} was not found in catalog {catalogId}");
        }
    }
}
