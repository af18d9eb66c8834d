-- A real Neovim as a prodready client, the way docs/editors.md tells users to set it up (the 0.7
-- `vim.lsp.start_client` form, which later versions still accept). Driven by test/neovim/neovim.test.ts:
--
--   PRODREADY_SERVER    path to dist/server.js
--   PRODREADY_ROOT      the workspace root to give the server
--   PRODREADY_SETTINGS  JSON of the `prodready` settings (optional)
--   PRODREADY_OUT       where to write the JSON result
--   PRODREADY_FIX       "1": also apply the first preferred quick fix through vim.lsp.buf.code_action()
--   PRODREADY_FIX_CODE  only try findings of this rule id (optional)
--
-- The file to check is the one Neovim was started on. Nothing here waits on sleeps: vim.wait polls
-- for a condition and gives up (with an error in the result) after a bound.

local out_path = assert(os.getenv('PRODREADY_OUT'), 'PRODREADY_OUT not set')
local result = { diagnostics = {}, errors = {}, log = {} }

local function finish()
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local function fail(message)
  table.insert(result.errors, message)
  finish()
end

local ok, settings = pcall(vim.fn.json_decode, os.getenv('PRODREADY_SETTINGS') or '{}')
if not ok or type(settings) ~= 'table' then settings = vim.empty_dict() end

local function run()
  local client_id = vim.lsp.start_client({
    name = 'prodready',
    cmd = { 'node', assert(os.getenv('PRODREADY_SERVER')), '--stdio' },
    root_dir = os.getenv('PRODREADY_ROOT'),
    -- Settings reach the server both ways Neovim can send them: at startup, and as the answer to
    -- workspace/configuration (section `prodready`).
    init_options = { settings = settings },
    settings = { prodready = settings },
    handlers = {
      ['window/logMessage'] = function(_, params) table.insert(result.log, params.message) end,
    },
  })
  if not client_id then return fail('vim.lsp.start_client returned nothing') end
  vim.lsp.buf_attach_client(0, client_id)

  local bufnr = vim.api.nvim_get_current_buf()

  local function lsp_code(d)
    local lsp = d.user_data and d.user_data.lsp
    return lsp and lsp.code or d.code
  end

  local function snapshot()
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(list, {
        line = d.lnum,
        col = d.col,
        end_line = d.end_lnum,
        end_col = d.end_col,
        severity = d.severity,
        code = lsp_code(d),
        message = d.message,
      })
    end
    table.sort(list, function(a, b)
      if a.line ~= b.line then return a.line < b.line end
      if a.col ~= b.col then return a.col < b.col end
      return a.code < b.code
    end)
    return list
  end

  -- The server publishes once per analysed version; an empty list is a valid answer for a clean file,
  -- so wait for the publication itself rather than for a non-empty list.
  local published = 0
  local previous = vim.lsp.handlers['textDocument/publishDiagnostics']
  vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, params, ctx, config)
    previous(err, params, ctx, config)
    if params and params.uri == vim.uri_from_bufnr(bufnr) then published = published + 1 end
  end

  if not vim.wait(30000, function() return published > 0 end, 20) then
    return fail('no diagnostics published within 30 s')
  end
  result.diagnostics = snapshot()

  if os.getenv('PRODREADY_FIX') == '1' then
    -- Neovim's own code-action path: vim.lsp.buf.code_action() asks the server and hands the actions to
    -- vim.ui.select; choosing the preferred one applies its edit exactly as a user's choice would.
    local chosen, answered
    vim.ui.select = function(items, _, on_choice)
      answered = true
      for i, item in ipairs(items) do
        local action = item[2] or item.action
        if action and action.isPreferred then
          chosen = { title = action.title, kind = action.kind }
          return on_choice(item, i)
        end
      end
      on_choice(nil, nil)
    end
    local only = os.getenv('PRODREADY_FIX_CODE')
    for _, d in ipairs(result.diagnostics) do
      if chosen then break end
      if only and only ~= '' and d.code ~= only then goto continue end
      vim.api.nvim_win_set_cursor(0, { d.line + 1, d.col })
      local before = published
      answered = false
      vim.lsp.buf.code_action()
      -- The answer comes back asynchronously; vim.ui.select runs when it does (every finding has at
      -- least its "disable for this line" action).
      if not vim.wait(10000, function() return answered end, 20) then
        return fail('no code actions offered at ' .. (d.line + 1) .. ':' .. (d.col + 1) .. ' (' .. tostring(d.code) .. ')')
      end
      if chosen then
        chosen.code = d.code
        chosen.line = d.line
        if not vim.wait(30000, function() return published > before end, 20) then
          return fail('no diagnostics after applying "' .. chosen.title .. '"')
        end
      end
      ::continue::
    end
    result.fix = chosen
    result.after = snapshot()
    result.text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  end

  finish()
end

-- The file named on the command line is loaded after this script runs: attach once it is.
vim.api.nvim_create_autocmd('VimEnter', { callback = function() vim.schedule(run) end })
