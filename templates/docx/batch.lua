--[[
Converts pandoc JSON ASTs to DOCX, one after another, in a single pandoc process.

    pandoc lua batch.lua REFERENCE.docx

Run by pipeline/docx/batch.py. Each request on standard input is a header line
"EPOCH LENGTH" followed by LENGTH bytes of JSON AST. Each gets one reply on standard
output: a header line "OK LENGTH" (then the DOCX) or "ERROR LENGTH" (then a message).
A document that fails gets its error and the next one is converted as usual; the end of
standard input ends the process.

What the single-document command line gets from its options is kept here:
* --sandbox: the writer reads no file but the reference document. An Image is the one
  node that makes the DOCX writer fetch a file or a URL, so a document with one is refused.
* --fail-if-warnings: a document whose conversion logs a warning is an error.
* SOURCE_DATE_EPOCH: set, for the conversion only, to the request's EPOCH.
]]

local reference = arg[1]
if not reference then
  io.stderr:write('usage: pandoc lua batch.lua REFERENCE.docx\n')
  os.exit(2)
end

local stdin, stdout = io.stdin, io.stdout
stdout:setvbuf('full')

local refuse_images = {
  Image = function (image)
    error('the AST holds an image (' .. image.src .. '); images are not fetched', 0)
  end,
}

local function convert (text, epoch)
  local doc = pandoc.read(text, 'json')
  -- Walking the whole document costs a tenth of the conversion; an Image node cannot be
  -- written without the word, or without an escape standing for one of its letters.
  if text:find('Image', 1, true) or text:find('\\u', 1, true) then
    doc:walk(refuse_images)
  end
  local environment = pandoc.system.environment()
  environment.SOURCE_DATE_EPOCH = epoch
  return pandoc.system.with_environment(environment, function ()
    return pandoc.write(doc, 'docx', {reference_doc = reference})
  end)
end

local function reply (status, data)
  stdout:write(status, ' ', tostring(#data), '\n', data)
  stdout:flush()
end

while true do
  local header = stdin:read('l')
  if header == nil then
    break
  end
  local epoch, length = header:match('^(%d+) (%d+)$')
  if epoch == nil then
    reply('ERROR', 'malformed request header: ' .. header:sub(1, 80))
    break  -- the stream is out of step: nothing after this can be trusted
  end
  local text = stdin:read(tonumber(length)) or ''
  if #text ~= tonumber(length) then
    break  -- the caller went away in the middle of a request
  end
  local ok, logs, docx = pcall(pandoc.log.silence, convert, text, epoch)
  if not ok then
    reply('ERROR', tostring(logs))
  else
    local warnings = {}
    for _, entry in ipairs(logs) do
      local message = pandoc.json.decode(pandoc.json.encode(entry))
      if message.verbosity ~= 'INFO' then
        warnings[#warnings + 1] = message.pretty or tostring(message.type)
      end
    end
    if #warnings > 0 then
      reply('ERROR', 'pandoc warned: ' .. table.concat(warnings, '; '))
    else
      reply('OK', docx)
    end
  end
  text, logs, docx = nil, nil, nil
  collectgarbage("step")
end
