import { useEffect, useState } from "react";
import { api } from "../api/client";
import { PROGRAMMES } from "../labels";

/**
 * The programmes the signed-in person's schools can enter (GET /api/programmes: by each school's kind, so a 小学
 * is offered no 普通高中 / 中职 programme), as [value, label] pairs; every programme until the answer arrives.
 */
export function useProgrammes(): { list: [string, string][]; loaded: boolean } {
  const [list, setList] = useState<[string, string][]>();
  useEffect(() => {
    let live = true;
    api("get", "/api/programmes")
      .then((r) => live && setList(r.items.map((p) => [p.id, p.name] as [string, string])))
      .catch(() => live && setList(PROGRAMMES));
    return () => {
      live = false;
    };
  }, []);
  return { list: list ?? PROGRAMMES, loaded: list !== undefined };
}
