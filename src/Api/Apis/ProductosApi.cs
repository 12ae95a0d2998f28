using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using AgenteVendedor.Api.Contracts;
using AgenteVendedor.Api.Csv;
using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Catalog;
using AgenteVendedor.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AgenteVendedor.Api.Apis;

public static class ProductosApi
{
    public static RouteGroupBuilder MapProductosApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/productos").WithTags("Productos");
        group.MapGet("/", List).RequireAuthorization(Policies.Read)
            .WithName("ListarProductos").WithSummary("Productos de la empresa, filtrados y paginados, por nombre.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/buscar", Search).RequireAuthorization(Policies.Read)
            .WithName("BuscarProductos").WithSummary("La búsqueda que usa el chat: semántica + léxica, mejores primero, solo productos activos.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem<ProblemDetails>(StatusCodes.Status503ServiceUnavailable,
                "Los vectores de búsqueda no se pueden calcular ahora (el servicio de embeddings falla), o el clúster no responde: reintenta tras Retry-After.");
        group.MapGet("/exportar", Export).RequireAuthorization(Policies.Read)
            .WithName("ExportarProductos").WithSummary("El catálogo completo en CSV, en el formato de importación.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.Read)
            .WithName("ObtenerProducto").WithSummary("Un producto.")
            .ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).RequireAuthorization(Policies.Edit).WithIdempotency<ProductoRequest>()
            .WithName("CrearProducto").WithSummary("Crea un producto; el sku se genera del nombre si no se envía.")
            .ProducesProblem<HttpValidationProblemDetails>(StatusCodes.Status409Conflict,
                "El sku ya es de otro producto de la empresa, o una solicitud con la misma Idempotency-Key todavía se procesa (Retry-After).");
        group.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.Edit)
            .WithName("ActualizarProducto").WithSummary("Reemplaza los datos de un producto.")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem<HttpValidationProblemDetails>(StatusCodes.Status409Conflict, "El sku ya es de otro producto de la empresa.");
        group.MapDelete("/{id:guid}", Deactivate).RequireAuthorization(Policies.Admin)
            .WithName("DesactivarProducto").WithSummary("Baja lógica: activo=false; las ventas siguen refiriéndolo.")
            .ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/importar", Import).RequireAuthorization(Policies.Admin)
            .WithName("ImportarProductos").WithSummary("Importa un CSV (text/csv o multipart con el campo 'archivo'); todo o nada.")
            // Described, not enforced by routing: a content-type match at routing time would answer 415 before the role check.
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                    {
                        ["text/csv"] = new() { Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String } },
                        ["multipart/form-data"] = new() { Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.Object } },
                    },
                };
                return Task.CompletedTask;
            })
            .ProducesProblem<ProblemDetails>(StatusCodes.Status400BadRequest, "El cuerpo multipart/form-data está mal formado.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "El archivo supera los 25 MB: divídelo e impórtalo en modo 'actualizar'.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "El cuerpo no es text/csv ni multipart/form-data con el campo 'archivo'.")
            .ProducesProblem<ErroresCsvProblem>(StatusCodes.Status422UnprocessableEntity,
                "El archivo tiene errores y no se cambió nada: 'errores' lista las filas (las 100 primeras) y 'total_errores' cuántas son; "
                + "un 'modo' desconocido o un multipart sin 'archivo' se nombra en 'errors'.")
            .WithMetadata(new RequestSizeLimitAttribute(ImportLimits.MaxRequestBytes));
        return group;
    }

    public static async Task<Results<Ok<PaginaResponse<ProductoResponse>>, ProblemAnswer>> List(
        ClaimsPrincipal user, IClusterClient grains, string? buscar, string? categoria, bool? activo,
        [FromQuery(Name = "con_stock")] bool? inStock, [FromQuery(Name = "stock_maximo")] int? maxStock, int? pagina, int? tamano)
    {
        var v = new Validation();
        var (page, size) = Paging.Read(v, pagina, tamano);
        if (maxStock is < 0)
        {
            v.Add("stock_maximo", "Debe ser 0 o más.");
        }

        if (!v.IsValid)
        {
            return v.Problem();
        }

        var result = await grains.GetGrain<ITenantGrain>(user.EmpresaId())
            .ListProductsAsync(new ProductQuery(buscar, categoria, activo, inStock, page, size, maxStock));
        return TypedResults.Ok(PaginaResponse.From(result, ProductoResponse.From));
    }

    public static async Task<Results<Ok<List<ResultadoBusqueda>>, ProblemAnswer>> Search(ClaimsPrincipal user, IClusterClient grains, HttpContext http, string? q, int? k)
    {
        var v = new Validation();
        var query = v.Text("q", q, 200);
        var count = k ?? 5;
        if (count is < 1 or > 50)
        {
            v.Add("k", "Debe estar entre 1 y 50.");
        }

        if (!v.IsValid)
        {
            return v.Problem();
        }

        var outcome = await grains.GetGrain<ICatalogSearchGrain>(user.EmpresaId()).SearchProductsAsync(query!, count);
        return outcome.Value is { } matches
            ? TypedResults.Ok(matches.Select(m => new ResultadoBusqueda(ProductoResponse.From(m.Product), m.Score)).ToList())
            : Problems.From(outcome.Problem!);
    }

    public static async Task<Results<Ok<ProductoResponse>, ProblemAnswer>> Get(Guid id, ClaimsPrincipal user, IClusterClient grains) =>
        await grains.GetGrain<ITenantGrain>(user.EmpresaId()).GetProductAsync(id) is { } product
            ? TypedResults.Ok(ProductoResponse.From(product))
            : Problems.NotFound("No existe un producto con ese id en esta empresa.");

    public static async Task<Results<Created<ProductoResponse>, ProblemAnswer>> Create(ProductoRequest body, ClaimsPrincipal user, IClusterClient grains)
    {
        if (Read(body) is not { } input)
        {
            return Invalid(body);
        }

        var outcome = await grains.GetGrain<ITenantGrain>(user.EmpresaId()).SaveProductAsync(user.Actor(), null, input);
        return outcome.Value is { } created
            ? TypedResults.Created($"/productos/{created.Id}", ProductoResponse.From(created))
            : Problems.From(outcome.Problem!);
    }

    public static async Task<Results<Ok<ProductoResponse>, ProblemAnswer>> Update(Guid id, ProductoRequest body, ClaimsPrincipal user, IClusterClient grains)
    {
        if (Read(body) is not { } input)
        {
            return Invalid(body);
        }

        var outcome = await grains.GetGrain<ITenantGrain>(user.EmpresaId()).SaveProductAsync(user.Actor(), id, input);
        return outcome.Value is { } saved ? TypedResults.Ok(ProductoResponse.From(saved)) : Problems.From(outcome.Problem!);
    }

    public static async Task<Results<Ok<ProductoResponse>, ProblemAnswer>> Deactivate(Guid id, ClaimsPrincipal user, IClusterClient grains)
    {
        var outcome = await grains.GetGrain<ITenantGrain>(user.EmpresaId()).DeactivateProductAsync(user.Actor(), id);
        return outcome.Value is { } saved ? TypedResults.Ok(ProductoResponse.From(saved)) : Problems.From(outcome.Problem!);
    }

    // Shape only: presence and JSON types. The product rules (ranges, lengths, sku uniqueness) are the grain's.
    private static ProductInput? Read(ProductoRequest body) =>
        body is { Nombre: not null, Precio: { } price, Stock: { } stock } && stock is >= int.MinValue and <= int.MaxValue
            && (body.PalabrasClave?.Count ?? 0) <= MaxKeywordEntries
            ? new ProductInput(body.Sku, body.Nombre, body.Descripcion ?? string.Empty, price, (int)stock, body.Categoria, body.Activo ?? true,
                body.PalabrasClave?.Select(k => k ?? string.Empty).ToArray(), body.ImagenUrl)
            : null;

    // What reaches the grain is bounded before its own rules (≤ 30 after trimming and dropping repeats) apply.
    private const int MaxKeywordEntries = 300;

    private static ProblemAnswer Invalid(ProductoRequest body)
    {
        var v = new Validation();
        if (body.Nombre is null) { v.Add("nombre", "Es obligatorio."); }
        if (body.Precio is null) { v.Add("precio", "Es obligatorio."); }
        if (body.Stock is null) { v.Add("stock", "Es obligatorio."); }
        else if (body.Stock is < int.MinValue or > int.MaxValue) { v.Add("stock", "El stock es demasiado grande o negativo."); }
        if (body.PalabrasClave?.Count > MaxKeywordEntries) { v.Add("palabras_clave", "Un producto tiene como máximo 30 palabras clave."); }
        return v.Problem();
    }

    public static async Task Export(ClaimsPrincipal user, IClusterClient grains, HttpContext http)
    {
        var tenant = grains.GetGrain<ITenantGrain>(user.EmpresaId());
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"productos-{DateTime.UtcNow:yyyyMMdd}.csv\"";
        await using var writer = new CatalogCsvWriter(http.Response.Body);
        for (var page = 1; ; page++)
        {
            var batch = await tenant.ListProductsAsync(new ProductQuery(null, null, null, null, page, ImportLimits.ExportPageSize));
            await writer.WriteAsync(batch.Items);
            if ((long)page * ImportLimits.ExportPageSize >= batch.Total)
            {
                break;
            }
        }
    }

    public static async Task<Results<Ok<ImportacionResponse>, ProblemAnswer>> Import(ClaimsPrincipal user, IClusterClient grains, HttpContext http, string? modo)
    {
        var watch = Stopwatch.StartNew();
        ImportMode mode;
        switch (modo?.Trim().ToLowerInvariant())
        {
            case null or "" or "actualizar": mode = ImportMode.Update; break;
            case "reemplazar": mode = ImportMode.Replace; break;
            default:
                var v = new Validation();
                v.Add("modo", "Usa 'reemplazar' o 'actualizar'.");
                return v.Problem();
        }

        var upload = await ReceiveAsync(http);
        if (upload.Problem is { } problem)
        {
            return problem;
        }

        var outcome = await grains.GetGrain<ITenantGrain>(user.EmpresaId()).ImportCatalogAsync(user.Actor(), new ImportRequest(mode, upload.File!));
        if (outcome.EmpresaMissing)
        {
            return Problems.NotFound("La empresa no existe.");
        }

        if (outcome.Summary is null)
        {
            return CsvErrors(outcome.Errors, outcome.TotalErrors);
        }

        var s = outcome.Summary!;
        return TypedResults.Ok(new ImportacionResponse(mode == ImportMode.Replace ? "reemplazar" : "actualizar",
            s.Rows, s.Created, s.Updated, s.Deactivated, s.Unchanged, watch.ElapsedMilliseconds));
    }

    private sealed record Received(byte[]? File, ProblemAnswer? Problem);

    private static async Task<Received> ReceiveAsync(HttpContext http)
    {
        var request = http.Request;
        Stream body;
        long? length;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(http.RequestAborted);
            }
            catch (InvalidDataException)
            {
                return new Received(null, Problems.BadRequest(
                    "El cuerpo multipart/form-data está mal formado. Adjunta el CSV en el campo 'archivo' o envíalo como 'text/csv'."));
            }

            if (form.Files.GetFile("archivo") is not { } file)
            {
                var v = new Validation();
                v.Add("archivo", "Adjunta el CSV en el campo 'archivo'.");
                return new Received(null, v.Problem());
            }

            body = file.OpenReadStream();
            length = file.Length;
        }
        else if (request.ContentType is { } type && (type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase)
                 || type.StartsWith("application/csv", StringComparison.OrdinalIgnoreCase)
                 || type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)))
        {
            body = request.Body;
            length = request.ContentLength;
        }
        else
        {
            return new Received(null, Problems.Status(StatusCodes.Status415UnsupportedMediaType,
                "Envía el CSV como 'text/csv' o como multipart/form-data con el campo 'archivo'."));
        }

        await using (body)
        {
            var file = await CsvUpload.ReadAsync(body, length, ImportLimits.MaxFileBytes, http.RequestAborted);
            return file is null
                ? new Received(null, Problems.Status(StatusCodes.Status413PayloadTooLarge,
                    $"El archivo supera el máximo de {ImportLimits.MaxFileBytes / (1024 * 1024)} MB. Divídelo e impórtalo en modo 'actualizar'."))
                : new Received(file, null);
        }
    }

    private static ProblemAnswer CsvErrors(IReadOnlyList<ImportError> errors, int total) => new(new ErroresCsvProblem
    {
        Status = StatusCodes.Status422UnprocessableEntity,
        Title = Problems.TitleFor(422),
        Detail = $"El archivo tiene {total} error(es); no se cambió nada. Corrige las filas indicadas y vuelve a importarlo.",
        Errores = errors.Select(e => new ErrorCsv(e.Row, e.Column, e.Message)).ToList(),
        TotalErrores = total,
    });
}

public static class ImportLimits
{
    public const long MaxFileBytes = 25L * 1024 * 1024;

    // Multipart framing adds a little; the file itself is checked against MaxFileBytes.
    public const long MaxRequestBytes = MaxFileBytes + (64 * 1024);
    public const int ExportPageSize = 5000;
}
